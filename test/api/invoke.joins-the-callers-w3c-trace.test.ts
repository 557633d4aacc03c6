import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const INCOMING = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe("an HTTP invocation with a W3C traceparent joins that trace", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy("leaf", `export default async () => "leaf"`);
    await t.deploy("root", `export default async (event, ctx) => ctx.invoke("leaf", {})`);
  });
  after(() => t.close());

  const recordOf = async (id: string | null) => {
    await t.platform.activations.flush();
    const res = await t.call("GET", `/v1/accounts/${t.account}/activations/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body as { traceparent?: string; parentId?: string };
  };

  for (const route of ["fast path", "Fastify route"] as const) {
    it(`sync (${route}): the activation is a new span of the caller's trace, and so is its child`, async () => {
      // ?version=1 takes the Fastify route; a plain invoke the node:http fast path.
      const query = route === "Fastify route" ? "?version=1" : "";
      const res = await t.call(
        "POST",
        `/v1/accounts/${t.account}/functions/root/invoke${query}`,
        {},
        {
          headers: { traceparent: INCOMING },
        },
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body, "leaf");
      const id = res.headers.get("x-runlet-activation-id");
      const record = await recordOf(id);
      const [, traceId, spanId] = String(record.traceparent).split("-");
      assert.equal(traceId, TRACE_ID);
      assert.notEqual(spanId, "00f067aa0ba902b7", "a new span, not the caller's");
      const children = await t.call("GET", `/v1/accounts/${t.account}/activations?function=leaf&limit=1`);
      const child = await recordOf(children.body.activations[0].id);
      assert.equal(child.parentId, id);
      assert.equal(String(child.traceparent).split("-")[1], TRACE_ID);
    });
  }

  it("async: the queued activation carries the trace too", async () => {
    const res = await t.call(
      "POST",
      `/v1/accounts/${t.account}/functions/leaf/invoke?async=true`,
      {},
      {
        headers: { traceparent: INCOMING },
      },
    );
    assert.equal(res.status, 202, res.text);
    const record = await recordOf(res.body.activationId);
    assert.equal(String(record.traceparent).split("-")[1], TRACE_ID);
  });

  it("an invalid traceparent is ignored (the spec says: start a new trace)", async () => {
    const res = await t.call(
      "POST",
      `/v1/accounts/${t.account}/functions/leaf/invoke`,
      {},
      {
        headers: { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01" },
      },
    );
    assert.equal(res.status, 200, res.text);
    const record = await recordOf(res.headers.get("x-runlet-activation-id"));
    assert.equal(record.traceparent, undefined);
  });
});
