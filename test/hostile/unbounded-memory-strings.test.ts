import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: growing strings without bound", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("doubling one string hits V8's string length limit: 502 RUNLET_ERR_FUNCTION_ERROR (RangeError)", async () => {
    const { res } = await attackWith(arena, `export default async () => { let s = "x"; for (;;) s += s; }`, {
      memoryMb: 64,
      timeoutMs: 5000,
    });
    assert.equal(res.status, 502, res.text);
    assert.match(res.body.error.code, /^RUNLET_ERR_(FUNCTION_ERROR|MEMORY_LIMIT)$/);
    if (res.body.error.code === "RUNLET_ERR_FUNCTION_ERROR")
      assert.match(res.body.error.message, /Invalid string length/);
  });

  it("keeping many distinct strings is stopped at memoryMb with 502 RUNLET_ERR_MEMORY_LIMIT", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => { const kept = []; for (let i = 0; ; i++) kept.push("y".repeat(8 * 1024 * 1024) + i); }`,
      { memoryMb: 16, timeoutMs: 15_000 },
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_MEMORY_LIMIT");
    assert.equal((await activationOf(arena, res)).status, "resource_exceeded");
  });
});
