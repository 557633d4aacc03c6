import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: JSON abuse to exhaust memory", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("stringifying a shared-subtree graph that expands exponentially ends in a 502, never a host crash", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        let node = { leaf: "z".repeat(1000) };
        for (let i = 0; i < 40; i++) node = { a: node, b: node };
        return JSON.stringify(node).length;
      }`,
      { memoryMb: 16, timeoutMs: 15_000 },
    );
    assert.equal(res.status, 502, res.text);
    assert.match(res.body.error.code, /^RUNLET_ERR_(MEMORY_LIMIT|FUNCTION_ERROR)$/);
  });

  it("parsing ever larger JSON documents is stopped at memoryMb", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        const kept = [];
        const doc = JSON.stringify(Array.from({ length: 50_000 }, (_, i) => ({ i, s: "json" })));
        for (;;) kept.push(JSON.parse(doc));
      }`,
      { memoryMb: 16, timeoutMs: 15_000 },
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_MEMORY_LIMIT");
    assert.equal((await activationOf(arena, res)).status, "resource_exceeded");
  });

  it("returning a result that expands exponentially when serialised is refused", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        let node = { leaf: "q".repeat(100) };
        for (let i = 0; i < 40; i++) node = { a: node, b: node };
        return node;
      }`,
      { memoryMb: 16, timeoutMs: 15_000 },
    );
    assert.equal(res.status, 502, res.text);
    assert.match(
      res.body.error.code,
      /^RUNLET_ERR_(MEMORY_LIMIT|RESULT_TOO_LARGE|INVALID_RESULT|FUNCTION_ERROR)$/,
    );
  });
});
