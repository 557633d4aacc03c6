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
    // Serialising the result never finishes (each toJSON makes a new object), so the deadline ends it.
    assert.equal(res.status, 504, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_TIMEOUT");
  });
});
