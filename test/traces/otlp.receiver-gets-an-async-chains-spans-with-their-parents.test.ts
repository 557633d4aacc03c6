import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// a ctx.invoke-s b asynchronously, b does the same to c.
const A = `export default async (event, ctx) => (await ctx.invoke("b", { n: 1 }, { async: true })).activationId`;
const B = `export default async (event, ctx) => { await ctx.invoke("c", {}, { async: true }); return "b"; }`;
const C = `export default async () => "c"`;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  status?: { code?: number };
  attributes: { key: string; value: OtlpValue }[];
}
interface ExportRequest {
  resourceSpans: {
    resource?: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A real OTLP/HTTP receiver: takes what POST /v1/traces sends (the exporter's JSON encoding) and keeps it. */
async function receiver(): Promise<{ server: Server; url: string; spans: OtlpSpan[]; services: string[] }> {
  const spans: OtlpSpan[] = [];
  const services: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (
        req.method !== "POST" ||
        req.url !== "/v1/traces" ||
        !/json/.test(req.headers["content-type"] ?? "")
      ) {
        res.writeHead(400).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as ExportRequest;
      for (const rs of body.resourceSpans) {
        const name = rs.resource?.attributes.find((a) => a.key === "service.name")?.value.stringValue;
        if (name) services.push(name);
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, services };
}

const attr = (span: OtlpSpan, key: string): unknown => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return (
    v &&
    (v.stringValue ??
      (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
      v.boolValue ??
      v.doubleValue)
  );
};

describe("RUNLET_OTLP_ENDPOINT: an OTLP receiver gets a span per activation of an async chain", () => {
  let t: TestPlatform;
  let closed = false;
  let otlp: Awaited<ReturnType<typeof receiver>>;
  before(async () => {
    otlp = await receiver();
    process.env.OTEL_BSP_SCHEDULE_DELAY = "50"; // the SDK's batch delay: send soon rather than in 5 s
    t = await startPlatform({ config: { otlpEndpoint: otlp.url } });
    await t.deploy("a", A);
    await t.deploy("b", B);
    await t.deploy("c", C);
  });
  after(async () => {
    if (!closed) await t.close();
    await new Promise((r) => otlp.server.close(r));
  });

  it("3 spans in the trace the API shows, linked a → b → c, with the activations' attributes", async () => {
    const res = await t.call("POST", `/v1/accounts/${t.account}/functions/a/invoke`, {});
    assert.equal(res.status, 200, res.text);
    const rootId = res.headers.get("x-runlet-activation-id")!;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, checked below
    let trace: any;
    for (;;) {
      trace = (await t.call("GET", `/v1/accounts/${t.account}/traces/${rootId}`)).body;
      const c = trace.roots?.[0]?.children?.[0]?.children?.[0];
      if (c?.status === "succeeded" && otlp.spans.filter((s) => s.traceId === trace.traceId).length >= 3)
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Closing flushes whatever the processor still holds: a record written twice must not be sent twice.
    await t.close();
    closed = true;
    const spans = otlp.spans.filter((s) => s.traceId === trace.traceId);
    assert.equal(spans.length, 3, JSON.stringify(spans.map((s) => s.name)));
    assert.deepEqual(
      otlp.services.filter((s) => s !== "runlet"),
      [],
    );
    const by = (name: string) => spans.find((s) => s.name === name)!;
    const [a, b, c] = [by("a"), by("b"), by("c")];
    const aNode = trace.roots[0];
    const bNode = aNode.children[0];
    const cNode = bNode.children[0];
    assert.equal(a.spanId, aNode.spanId);
    assert.equal(b.spanId, bNode.spanId);
    assert.equal(c.spanId, cNode.spanId);
    assert.ok(!a.parentSpanId, "a is the root");
    assert.equal(b.parentSpanId, a.spanId);
    assert.equal(c.parentSpanId, b.spanId);
    for (const [span, node] of [
      [a, aNode],
      [b, bNode],
      [c, cNode],
    ] as const) {
      assert.equal(attr(span, "faas.invocation_id"), node.id);
      assert.equal(attr(span, "faas.name"), node.function);
      assert.equal(attr(span, "runlet.status"), "succeeded");
      assert.equal(attr(span, "faas.coldstart"), node.coldStart);
      assert.equal(attr(span, "runlet.billed_ms"), node.billedMs);
      assert.equal(span.status?.code, 1, "OK");
      assert.ok(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano));
    }
    assert.equal(attr(a, "runlet.trigger"), "http");
    assert.equal(attr(b, "runlet.trigger"), "function");
    assert.equal(attr(b, "runlet.parent_id"), aNode.id);
    assert.equal(typeof attr(c, "runlet.queued_ms"), "number");
  });
});
