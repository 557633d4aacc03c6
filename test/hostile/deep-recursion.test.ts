import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: unbounded recursion", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("overflows the isolate's own stack: 502 RUNLET_ERR_FUNCTION_ERROR with a RangeError", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => { const down = (n) => down(n + 1) + 1; return down(0); }`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /Maximum call stack size exceeded/);
    assert.equal((await activationOf(arena, res)).status, "function_error");
  });

  it("recursion through JSON.stringify's toJSON and getters overflows the same way", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => { const o = { toJSON() { return { inner: o }; } }; return o; }`,
      { timeoutMs: 500 },
    );
    // Each toJSON makes a new object to serialise, one level deeper: serialising either overflows the
    // isolate's stack (502, not serialisable) or, on a slow machine, runs into the deadline first (504).
    assert.ok([502, 504].includes(res.status), res.text);
    assert.equal(
      res.body.error.code,
      res.status === 502 ? "RUNLET_ERR_INVALID_RESULT" : "RUNLET_ERR_TIMEOUT",
      res.text,
    );
  });
});
