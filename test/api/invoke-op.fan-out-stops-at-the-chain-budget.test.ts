import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("ctx.invoke: a chain of invocations shares one budget of calls (fan-out bombs stay bounded)", () => {
  let t: TestPlatform;

  before(async () => {
    t = await startPlatform({ limits: { maxInvokesPerChain: 10 } });
    await t.deploy("leaf", `export default async () => "leaf"`);
    await t.deploy(
      "spender",
      `export default async (event, ctx) => {
         let ok = 0;
         for (let i = 0; i < event.payload.k; i++) {
           try { await ctx.invoke("leaf"); ok++; } catch (err) { return { ok, code: err.code }; }
         }
         return { ok };
       }`,
    );
    await t.deploy(
      "root",
      `export default async (event, ctx) => [await ctx.invoke("spender", { k: 6 }), await ctx.invoke("spender", { k: 6 })]`,
    );
  });
  after(() => t.close());

  it("the calls of every invocation in the chain count together; past the budget they are refused", async () => {
    const res = await t.invoke("root");
    assert.equal(res.status, 200, res.text);
    // root's 2 calls + the first spender's 6 + the second spender's 2 = 10; the 11th is refused.
    assert.deepEqual(res.body, [{ ok: 6 }, { ok: 2, code: "RUNLET_ERR_INVOKE_LIMIT" }]);
  });

  it("each invocation from outside starts a chain with a budget of its own", async () => {
    const res = await t.invoke("root");
    assert.deepEqual(res.body, [{ ok: 6 }, { ok: 2, code: "RUNLET_ERR_INVOKE_LIMIT" }]);
  });
});
