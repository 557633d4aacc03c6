import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

// A resizable ArrayBuffer or growable SharedArrayBuffer commits its pages in V8 itself, past isolated-vm's
// counted allocator: before the prelude counted them (sandbox/memory-limits.ts), a 16 MB function resized
// one to 1 GiB. Each now reserves its maxByteLength against memoryMb. Every page the attack gets is
// written, so it would show in host RSS.
const MiB = 1024 * 1024;

describe("hostile: resizable and growable buffers past memoryMb", () => {
  let arena: Arena;
  let rssBefore: number;
  before(async () => {
    arena = await openArena();
    rssBefore = process.memoryUsage().rss / MiB;
  });
  after(() => arena.close());

  for (const [kind, grow] of [
    ["ArrayBuffer", "resize"],
    ["SharedArrayBuffer", "grow"],
  ] as const) {
    it(`a ${kind} with maxByteLength 1 GiB in a 16 MB function: 502 RUNLET_ERR_MEMORY_LIMIT`, async () => {
      const { res } = await attackWith(
        arena,
        `export default async () => {
          const buffer = new ${kind}(1, { maxByteLength: 2 ** 30 });
          buffer.${grow}(2 ** 30);
          const bytes = new Uint8Array(buffer);
          for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1;
          return buffer.byteLength;
        }`,
        { memoryMb: 16, timeoutMs: 15_000 },
      );
      const activation = await activationOf(arena, res);
      assert.equal(res.status, 502, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_MEMORY_LIMIT");
      assert.match(res.body.error.message, /memory limit of 16 MB: WebAssembly memory and resizable buffers/);
      assert.equal(activation.status, "resource_exceeded");
    });
  }

  it("many small resizable buffers together stop at memoryMb, and transfer() does not launder one", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        const kept = [];
        for (let i = 0; i < 1024; i++) {
          const buffer = new ArrayBuffer(1, { maxByteLength: MiB });
          buffer.resize(MiB);
          new Uint8Array(buffer).fill(1);
          kept.push(typeof buffer.transfer === "function" ? buffer.transfer() : buffer); // V8 11.3 has none
        }
        return kept.length;
      }`.replace(/MiB/g, String(MiB)),
      { memoryMb: 16, timeoutMs: 15_000 },
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_MEMORY_LIMIT");
    assert.equal((await activationOf(arena, res)).status, "resource_exceeded");
  });

  it("a resizable buffer within memoryMb works", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        const buffer = new ArrayBuffer(1, { maxByteLength: 4 * ${MiB} });
        buffer.resize(4 * ${MiB});
        return [buffer.byteLength, buffer.constructor === ArrayBuffer, buffer instanceof ArrayBuffer];
      }`,
      { memoryMb: 16 },
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, [4 * MiB, true, true]);
  });

  it("host RSS stays bounded (each attack alone would have written 1 GiB)", () => {
    const grew = process.memoryUsage().rss / MiB - rssBefore;
    assert.ok(grew < 200, `host RSS grew by ${Math.round(grew)} MiB`);
  });
});
