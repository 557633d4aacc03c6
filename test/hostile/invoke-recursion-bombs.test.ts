import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, openArena, underAttack, type Arena } from "./arena.js";

describe("hostile: recursive ctx.invoke bombs", () => {
  let arena: Arena;
  before(async () => (arena = await openArena({ limits: { maxInvokeDepth: 5, maxInvokesPerChain: 40 } })));
  after(() => arena.close());

  it("a function invoking itself stops at the depth limit; the refusal travels up to a 502", async () => {
    await arena.attacker.deploy("recurse", `export default async (event, ctx) => ctx.invoke("recurse", {})`, {
      timeoutMs: 5000,
      maxInstances: 8,
    });
    const { res } = await underAttack(arena, async () => ({ res: await arena.attacker.invoke("recurse") }));
    assert.equal(res.status, 502, res.text);
    // The deepest call's refusal rejects in its parent, and so on up: the top fails as a function error
    // whose message carries the refusal.
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /over the limit of 5/);
    assert.equal((await activationOf(arena, res)).status, "function_error");
  });

  it("a fan-out bomb (each call invokes itself twice, async) stops at the chain budget", async () => {
    await arena.attacker.deploy(
      "fanout",
      `export default async (event, ctx) => {
        const kids = [];
        for (let i = 0; i < 2; i++) {
          try { kids.push((await ctx.invoke("fanout", {}, { async: true })).activationId); } catch (e) { return e.code; }
        }
        return kids.length;
      }`,
      { timeoutMs: 5000, maxInstances: 4 },
    );
    const { res } = await underAttack(arena, async () => ({ res: await arena.attacker.invoke("fanout") }));
    assert.equal(res.status, 200, res.text);
    // Let the queued descendants run out; the chain budget caps them however deep they try to go.
    const deadline = Date.now() + 20_000;
    let count = 0;
    for (;;) {
      await arena.t.platform.activations.flush();
      const list = await arena.attacker.call(
        "GET",
        "/v1/accounts/{acct}/activations?function=fanout&limit=500",
      );
      const activations = list.body.activations as { status: string }[];
      count = activations.length;
      if (activations.every((a) => a.status !== "queued" && a.status !== "running") || Date.now() > deadline)
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(count <= 1 + 40 + 1, `the chain ran ${count} activations, within the budget of 40 invokes`);
    assert.ok(count > 5, `the bomb did go off (${count} activations)`);
  });
});
