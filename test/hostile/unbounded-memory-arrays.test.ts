import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: allocating arrays without bound", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("is stopped at memoryMb (16) with 502 RUNLET_ERR_MEMORY_LIMIT (resource_exceeded); the function recovers", async () => {
    const source = `export default async (event) => {
      if (!event.payload.hog) return "fine";
      const hoard = [];
      for (;;) hoard.push(new Array(100_000).fill(hoard.length));
    }`;
    const { res } = await attackWith(arena, source, { memoryMb: 16, timeoutMs: 15_000 }, { hog: true });
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_MEMORY_LIMIT");
    assert.match(res.body.error.message, /memory limit of 16 MB/);
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "resource_exceeded");
    const again = await arena.attacker.invoke(String(activation.function), { hog: false });
    assert.equal(again.status, 200);
    assert.equal(again.body, "fine");
  });

  it("typed arrays (memory outside the V8 heap) are bounded as well", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => { const hoard = []; for (;;) hoard.push(new Uint8Array(16 * 1024 * 1024).fill(1)); }`,
      { memoryMb: 16, timeoutMs: 15_000 },
    );
    assert.equal(res.status, 502, res.text);
    assert.match(res.body.error.code, /^RUNLET_ERR_(MEMORY_LIMIT|FUNCTION_ERROR)$/);
  });
});
