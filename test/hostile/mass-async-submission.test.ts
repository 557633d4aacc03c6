import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { attackWith, openArena, underAttack, type Arena } from "./arena.js";

const SLOW = `export default async () => { await new Promise((r) => setTimeout(r, 50)); return "done"; }`;

describe("hostile: mass async submission", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena({ config: { access: { rateLimitPerSecond: 50, rateLimitBurst: 100 } } });
    await arena.attacker.deploy("sink", SLOW, { timeoutMs: 2000 });
  });
  after(() => arena.close());

  it("a function submitting async invocations in a loop is stopped at the per-invocation budget", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => {
        let submitted = 0;
        for (let i = 0; i < 10_000; i++) {
          try { await ctx.invoke("sink", {}, { async: true }); submitted++; }
          catch (e) { return { submitted, stoppedWith: e.code }; }
        }
        return { submitted };
      }`,
      { timeoutMs: 5000 },
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { submitted: 50, stoppedWith: "RUNLET_ERR_INVOKE_LIMIT" });
  });
  it("600 async submissions at once through the API: each is queued (202) or refused with 429, none fails", async () => {
    const started = Date.now();
    const { answers } = await underAttack(arena, async () => ({
      answers: await Promise.all(
        Array.from({ length: 600 }, () =>
          arena.attacker.call("POST", "/v1/accounts/{acct}/functions/sink/invoke?async=true", {}),
        ),
      ),
    }));
    const byStatus: Record<number, number> = {};
    for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    assert.deepEqual(Object.keys(byStatus).sort(), ["202", "429"], JSON.stringify(byStatus));
    // The bucket holds 100 and refills 50 a second: no more than that got through while the flood lasted.
    const seconds = (Date.now() - started) / 1000;
    assert.ok(byStatus[202]! <= 100 + 50 * (seconds + 1), `${byStatus[202]} accepted in ${seconds} s`);
    const refused = answers.find((a) => a.status === 429)!;
    assert.equal(refused.body.error.code, "RUNLET_ERR_RATE_LIMITED");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
  });
});
