import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue } from "../queue/helpers.js";
import { eventually } from "../rollouts/helpers.js";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

/** A real OTLP/HTTP receiver: POST /v1/traces with the JSON encoding, every span kept as it came. */
async function otlpReceiver() {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") return res.writeHead(404).end();
      contentTypes.push(req.headers["content-type"] ?? "");
      const body = JSON.parse(text) as {
        resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, spans, contentTypes, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

describe("OTLP export (RUNLET_OTLP_ENDPOINT)", () => {
  let t: TestPlatform;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  before(async () => {
    receiver = await otlpReceiver();
    t = await startPlatform({ config: { queue: fastQueue(), otlpEndpoint: receiver.url } });
    await t.deploy("c", "export default async () => { throw new Error('c failed') }", {
      retry: { attempts: 1 },
    });
    await t.deploy("b", "export default async (e, ctx) => ctx.invoke('c', {}, { async: true })");
    await t.deploy("a", "export default async (e, ctx) => ctx.invoke('b', {}, { async: true })");
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  it("sends a span per activation of a 3-level async chain, in one trace, each under its parent", async () => {
    const root = (await t.invoke("a")).headers.get("x-runlet-activation-id")!;
    const spans = await eventually(async () => receiver.spans.length >= 3 && receiver.spans, 20_000);
    assert.equal(spans.length, 3);
    assert.match(receiver.contentTypes[0]!, /^application\/json/);
    const byFunction = Object.fromEntries(spans.map((s) => [attribute(s, "runlet.function"), s]));
    const [a, b, c] = [byFunction.a!, byFunction.b!, byFunction.c!];
    const trace = await t.call("GET", `/v1/accounts/default/traces/${root}`);
    for (const span of [a, b, c]) assert.equal(span.traceId, trace.body.traceId);
    assert.equal(attribute(a, "runlet.activation_id"), root);
    assert.equal(a.parentSpanId || undefined, undefined);
    assert.equal(b.parentSpanId, a.spanId);
    assert.equal(c.parentSpanId, b.spanId);
    assert.deepEqual([a.name, b.name, c.name], ["a v1", "b v1", "c v1"]);
    assert.equal(a.kind, 2); // SERVER: an HTTP invocation
    assert.equal(c.kind, 1); // INTERNAL: ctx.invoke
    assert.equal(attribute(c, "runlet.status"), "function_error");
    assert.equal(c.status?.code, 2); // ERROR
    assert.equal(a.status?.code ?? 0, 0);
    for (const span of spans) assert.ok(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano));
    // Each child's span starts after its parent's: the async chain's order.
    assert.ok(BigInt(b.startTimeUnixNano) >= BigInt(a.startTimeUnixNano));
    assert.ok(BigInt(c.startTimeUnixNano) >= BigInt(b.startTimeUnixNano));
  });
});
