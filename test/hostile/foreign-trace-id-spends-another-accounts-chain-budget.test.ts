import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, openArena, underAttack, type Arena, type Tenant } from "./arena.js";

// The chain budget (RUNLET_MAX_INVOKES_PER_CHAIN) was keyed by the caller-sent traceparent's trace id
// alone: account A could send B's trace id and spend B's budget, so B's ctx.invoke calls were refused.
// Budgets are now keyed by account and by the host-minted id of the chain; a trace id only correlates.
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0736aa";
const traceparent = (span: string) => `00-${TRACE_ID}-${span}-01`;

const LEAF = `export default async () => "leaf"`;
const SPENDER = `export default async (event, ctx) => {
  let ok = 0;
  for (let i = 0; i < event.payload.k; i++) {
    try { await ctx.invoke("leaf"); ok++; } catch (err) { return { ok, code: err.code }; }
  }
  return { ok };
}`;

describe("hostile: a foreign trace id cannot spend another account's ctx.invoke chain budget", () => {
  let arena: Arena;

  const spend = (tenant: Tenant, k: number, span: string) =>
    tenant.call(
      "POST",
      "/v1/accounts/{acct}/functions/spender/invoke",
      { k },
      {
        traceparent: traceparent(span),
      },
    );

  before(async () => {
    arena = await openArena({ limits: { maxInvokesPerChain: 10 } });
    for (const tenant of [arena.attacker, arena.neighbour]) {
      await tenant.deploy("leaf", LEAF);
      await tenant.deploy("spender", SPENDER, { timeoutMs: 10_000 });
    }
  });
  after(() => arena.close());

  it("the attacker's calls under B's trace id stop at its own budget, and are recorded in that trace", async () => {
    const { res } = await underAttack(arena, async () => ({
      res: await spend(arena.attacker, 25, "00f067aa0ba902b7"),
    }));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { ok: 10, code: "RUNLET_ERR_INVOKE_LIMIT" });
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
    assert.match(String(activation.traceparent), new RegExp(`^00-${TRACE_ID}-`), "still correlated");
  });

  it("repeating the same trace id starts a new chain each time (it is no key at all)", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await spend(arena.attacker, 25, "00f067aa0ba902b8");
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { ok: 10, code: "RUNLET_ERR_INVOKE_LIMIT" });
    }
  });

  it("B, invoked with the same trace id meanwhile, keeps its whole budget", async () => {
    const { res, neighbourRes } = await underAttack(arena, async () => {
      const attack = Promise.all([1, 2, 3].map(() => spend(arena.attacker, 25, "00f067aa0ba902b9")));
      const neighbourRes = await spend(arena.neighbour, 10, "b7ad6b7169203331");
      const res = await attack;
      return { res, neighbourRes };
    });
    for (const r of res) assert.deepEqual(r.body, { ok: 10, code: "RUNLET_ERR_INVOKE_LIMIT" });
    assert.equal(neighbourRes.status, 200, neighbourRes.text);
    assert.deepEqual(neighbourRes.body, { ok: 10 }, "every one of B's calls was let through");
    const after = await spend(arena.neighbour, 10, "b7ad6b7169203332");
    assert.deepEqual(after.body, { ok: 10 });
  });
});
