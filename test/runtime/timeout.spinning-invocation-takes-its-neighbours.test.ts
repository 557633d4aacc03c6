import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// As in timeout.neighbours-on-a-shared-instance-survive, but the invocation that times out spins (in a
// continuation after a timer, where no isolate call's own timeout stops it): the isolate's one thread is
// held, so nothing else on it can finish, and the instance goes with its neighbours.
const SHARED = `
export default async (event) => {
  if (event.payload.spin) { await new Promise((r) => setTimeout(r, 10)); for (;;); }
  await new Promise((r) => setTimeout(r, event.payload.waitMs ?? 0));
  return { ok: true };
}`;

const CALLER = `
export default async (event, ctx) => {
  try { await ctx.invoke("shared", { spin: true }, { timeoutMs: 300 }); return { code: null }; }
  catch (err) { return { code: err.code }; }
}`;

describe("a timed-out invocation that spins on a shared instance", () => {
  let t: TestPlatform;

  before(async () => {
    t = await startPlatform();
    await t.deploy("shared", SHARED, { concurrency: 4, maxInstances: 1, timeoutMs: 20_000 });
    await t.deploy("caller", CALLER);
  });
  after(() => t.close());

  it("takes the instance and its neighbours with it; the next invocation gets a fresh instance", async () => {
    assert.equal((await t.invoke("shared", {})).status, 200);
    const neighbour = t.invoke("shared", { waitMs: 5000 });
    const caller = await t.invoke("caller", {});
    assert.equal(caller.body.code, "RUNLET_ERR_TIMEOUT", caller.text);
    const res = await neighbour;
    assert.equal(res.status, 500, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_PLATFORM");
    assert.match(res.body.error.message, /another invocation on it timed out/);
    assert.equal((await t.invoke("shared", {})).status, 200);
  });
});
