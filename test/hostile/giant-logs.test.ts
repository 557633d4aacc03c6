import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: giant logs", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("100,000 lines of 10 KiB are cut at 256 lines / 64 KiB and flagged; the invocation still succeeds", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => {
        const line = "L".repeat(10 * 1024);
        for (let i = 0; i < 100_000; i++) console.log(i, line);
        ctx.log("after the flood");
        return "logged";
      }`,
      { timeoutMs: 10_000 },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, "logged");
    const activation = await activationOf(arena, res);
    const logs = activation.logs as { msg: string }[];
    assert.equal(activation.logsTruncated, true);
    assert.ok(logs.length <= 256, `${logs.length} lines kept`);
    const bytes = logs.reduce((n, l) => n + Buffer.byteLength(l.msg), 0);
    assert.ok(bytes <= 64 * 1024 + 1024, `${bytes} bytes kept`);
  });

  it("one 50 MiB log line is cut, not stored", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => { console.log("M".repeat(50 * 1024 * 1024)); return "ok"; }`,
      { memoryMb: 256, timeoutMs: 10_000 },
    );
    assert.equal(res.status, 200, res.text);
    const activation = await activationOf(arena, res);
    const logs = activation.logs as { msg: string }[];
    assert.equal(activation.logsTruncated, true);
    assert.ok(logs.reduce((n, l) => n + l.msg.length, 0) <= 64 * 1024 + 1024);
  });
});
