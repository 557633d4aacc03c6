import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: timers that never end", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("an interval left running does not keep the invocation, nor run after it answered", async () => {
    const source = `let ticks = 0;
      export default async (event) => {
        if (event.payload.read) return ticks;
        setInterval(() => { ticks++; }, 1);
        return "left an interval";
      }`;
    const name = "interval";
    await arena.attacker.deploy(name, source, { timeoutMs: 1000 });
    const { res } = await attackWith(arena, source, { timeoutMs: 1000 });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, "left an interval");
    // Timers only fire while an invocation is in flight: between invocations the count stands still.
    await arena.attacker.invoke(name, {});
    const first = await arena.attacker.invoke(name, { read: true });
    await new Promise((r) => setTimeout(r, 100));
    const second = await arena.attacker.invoke(name, { read: true });
    assert.equal(first.status, 200);
    assert.ok(Number(second.body) - Number(first.body) < 50, `ticks ${first.body} → ${second.body}`);
  });

  it("awaiting a timer longer than the timeout ends in 504 RUNLET_ERR_TIMEOUT", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => { await new Promise((r) => setTimeout(r, 3_600_000)); return "never"; }`,
      { timeoutMs: 300 },
    );
    assert.equal(res.status, 504, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_TIMEOUT");
    assert.equal((await activationOf(arena, res)).status, "timeout");
  });
});
