import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// One instance (maxInstances 1) serving several invocations at once (concurrency 4). Each answers with a
// token made when its isolate loaded the module, so the test sees which instance served it. The invocation
// that times out is a ctx.invoke child with a 300 ms cap; its neighbours, plain invokes with the function's
// own 20 s, are in flight on the same instance before the cap runs out and still after it.
const SHARED = `
const token = Math.random().toString(36).slice(2);
export default async (event) => {
  if (event.payload.hang) await new Promise(() => {});
  if (event.payload.waitMs) await new Promise((r) => setTimeout(r, event.payload.waitMs));
  return { token };
}`;

const CALLER = `
export default async (event, ctx) => {
  try { await ctx.invoke("shared", { hang: true }, { timeoutMs: 300 }); return { code: null }; }
  catch (err) { return { code: err.code, activationId: err.activationId }; }
}`;

describe("a timed-out invocation on a shared instance", () => {
  let t: TestPlatform;

  before(async () => {
    t = await startPlatform();
    await t.deploy("shared", SHARED, { concurrency: 4, maxInstances: 1, timeoutMs: 20_000 });
    await t.deploy("caller", CALLER);
  });
  after(() => t.close());

  it("fails alone: its neighbours on the instance answer, and the instance is replaced once they end", async () => {
    const warm = await t.invoke("shared", {});
    assert.equal(warm.status, 200, warm.text);
    const instance = warm.body.token as string;

    const neighbours = [t.invoke("shared", { waitMs: 2500 }), t.invoke("shared", { waitMs: 2500 })];
    const caller = await t.invoke("caller", {});
    assert.equal(caller.status, 200, caller.text);
    assert.equal(caller.body.code, "RUNLET_ERR_TIMEOUT", caller.text);
    const timedOut = await t.call("GET", `/v1/accounts/default/activations/${caller.body.activationId}`);
    assert.equal(timedOut.body.function, "shared");
    assert.equal(timedOut.body.status, "timeout");

    for (const res of await Promise.all(neighbours)) {
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.token, instance, "the neighbour ran on the instance where the timeout happened");
    }

    // The instance took no new work after the timeout and went when its last neighbour ended.
    const next = await t.invoke("shared", {});
    assert.equal(next.status, 200, next.text);
    assert.notEqual(next.body.token, instance);
  });
});
