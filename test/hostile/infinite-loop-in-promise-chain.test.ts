import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: an endless promise chain (microtasks that never yield to the host)", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("ends in 504 RUNLET_ERR_TIMEOUT", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        const spin = () => Promise.resolve().then(spin);
        spin();
        await new Promise(() => {});
      }`,
      { timeoutMs: 500 },
    );
    assert.equal(res.status, 504, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_TIMEOUT");
    assert.equal((await activationOf(arena, res)).status, "timeout");
  });

  it("an async recursion that awaits forever ends in 504 too", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => { const again = async () => { await null; return again(); }; return again(); }`,
      { timeoutMs: 500 },
    );
    assert.ok([504, 502].includes(res.status), res.text);
    assert.match(res.body.error.code, /^RUNLET_ERR_(TIMEOUT|MEMORY_LIMIT)$/);
  });
});
