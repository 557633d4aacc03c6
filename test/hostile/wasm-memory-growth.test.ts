import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

// WebAssembly memory lives outside the V8 heap: isolated-vm's memory limit does not see it. Before the
// prelude counted it (sandbox/memory-limits.ts), a 16 MB function wrote 256 MiB and a 32 MB one 2 GiB of
// host RSS. Each attack below writes every page it gets, so what it was given shows in the host's RSS.
const MiB = 1024 * 1024;

/** A module (bytes built in the function) with one memory of `initial` pages (no maximum: 4 GiB), exporting
 * it as "mem" and `grow(pages)`, which runs the wasm `memory.grow` instruction (no JavaScript asked). */
const MODULE = `
  const leb = (n) => { const out = []; do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n); return out; };
  const section = (id, body) => [id, ...leb(body.length), ...body];
  const moduleBytes = (initial) => new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, ...leb(initial)]),
    ...section(7, [2, 3, 0x6d, 0x65, 0x6d, 2, 0, 4, 0x67, 0x72, 0x6f, 0x77, 0, 0]),
    ...section(10, [1, 6, 0, 0x20, 0, 0x40, 0, 0x0b]),
  ]);
  const touch = (buffer) => { const bytes = new Uint8Array(buffer); for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1; };
`;

function rssMiB(): number {
  return process.memoryUsage().rss / MiB;
}

describe("hostile: WebAssembly memory grown past memoryMb", () => {
  let arena: Arena;
  let rssBefore: number;
  before(async () => {
    arena = await openArena();
    rssBefore = rssMiB();
  });
  after(() => arena.close());

  async function expectMemoryLimit(source: string): Promise<void> {
    const { res } = await attackWith(arena, MODULE + source, { memoryMb: 16, timeoutMs: 15_000 });
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_MEMORY_LIMIT");
    assert.match(res.body.error.message, /memory limit of 16 MB: WebAssembly memory and resizable buffers/);
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "resource_exceeded");
    assert.equal((activation.error as { code: string }).code, "RUNLET_ERR_MEMORY_LIMIT");
  }

  it("a module declaring a 256 MiB memory in a 16 MB function is refused: 502 RUNLET_ERR_MEMORY_LIMIT", async () => {
    await expectMemoryLimit(`export default async () => {
      const { instance } = await WebAssembly.instantiate(moduleBytes(4096));
      touch(instance.exports.mem.buffer);
      return "wrote 256 MiB";
    }`);
  });

  it("patched built-ins do not change what the limits read: still 502 RUNLET_ERR_MEMORY_LIMIT", async () => {
    await expectMemoryLimit(`export default async () => {
      const bytes = moduleBytes(4096);
      const TA = Object.getPrototypeOf(Uint8Array.prototype);
      for (const name of ["subarray", "set", "slice", "map", "reduce"]) TA[name] = () => new Uint8Array(8);
      for (const name of ["push", "map", "reduce", "forEach"]) Array.prototype[name] = () => 0;
      Array.prototype[Symbol.iterator] = function* () {};
      Math.min = Math.max = () => 1e9;
      Number = () => 0;
      globalThis.BigInt = () => 2n ** 40n;
      Promise.prototype.then = function () { return this; };
      Object.defineProperty(WebAssembly.Instance.prototype, "exports", { get: () => ({}) });
      const { instance } = await WebAssembly.instantiate(bytes);
      return "instantiated";
    }`);
  });

  it("WebAssembly.Memory.grow in a loop stops at memoryMb: 502 RUNLET_ERR_MEMORY_LIMIT", async () => {
    await expectMemoryLimit(`export default async () => {
      const memory = new WebAssembly.Memory({ initial: 1 });
      for (let i = 0; i < 8192; i++) { try { memory.grow(16); } catch {} touch(memory.buffer); }
      return memory.buffer.byteLength;
    }`);
  });

  it("the module's own memory.grow instruction gets no page past memoryMb (it sees -1, as on a full machine)", async () => {
    const { res } = await attackWith(
      arena,
      MODULE +
        `export default async () => {
          const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(1)));
          let grown = 0;
          while (grown < 65536 && instance.exports.grow(16) !== -1) grown += 16;
          touch(instance.exports.mem.buffer);
          return instance.exports.mem.buffer.byteLength;
        }`,
      { memoryMb: 16, timeoutMs: 15_000 },
    );
    assert.equal(res.status, 200, res.text);
    assert.ok(typeof res.body === "number" && res.body <= 16 * MiB, `the module got ${res.body} bytes`);
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
  });

  it("many memories together stop at memoryMb: 502 RUNLET_ERR_MEMORY_LIMIT", async () => {
    await expectMemoryLimit(`export default async () => {
      const kept = [];
      for (let i = 0; i < 512; i++) {
        const memory = new WebAssembly.Memory({ initial: 16, maximum: 16 });
        touch(memory.buffer);
        kept.push(memory);
      }
      return kept.length;
    }`);
  });

  it("many instances of one module together stop at memoryMb: 502 RUNLET_ERR_MEMORY_LIMIT", async () => {
    await expectMemoryLimit(`export default async () => {
      const module = new WebAssembly.Module(moduleBytes(16));
      const kept = [];
      for (let i = 0; i < 512; i++) {
        const instance = new WebAssembly.Instance(module);
        touch(instance.exports.mem.buffer);
        kept.push(instance);
      }
      return kept.length;
    }`);
  });

  it("the originals stay out of reach (constructor and prototype chains lead to the counted ones)", async () => {
    const { res } = await attackWith(
      arena,
      MODULE +
        `export default async () => {
          const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
          const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(1)));
          return [
            memory.constructor === WebAssembly.Memory,
            Object.getPrototypeOf(instance.exports.mem).constructor === WebAssembly.Memory,
            instance.constructor === WebAssembly.Instance,
            (await WebAssembly.compile(moduleBytes(1))).constructor === WebAssembly.Module,
            new Uint8Array(1).buffer.constructor === ArrayBuffer,
            typeof gc === "undefined",
          ];
        }`,
      { memoryMb: 16 },
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, [true, true, true, true, true, true]);
  });

  it("host RSS stays bounded after all of it (each attack alone would have written 256 MiB or more)", () => {
    const grew = rssMiB() - rssBefore;
    assert.ok(grew < 200, `host RSS grew by ${Math.round(grew)} MiB`);
  });
});

describe("WebAssembly memory that is let go counts no more", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("a function that makes a 12 MiB memory on every invocation keeps working in a 16 MB function", async () => {
    await arena.attacker.deploy(
      "per-call",
      `export default async () => {
        const memory = new WebAssembly.Memory({ initial: 192, maximum: 192 });
        new Uint8Array(memory.buffer).fill(7);
        return memory.buffer.byteLength;
      }`,
      { memoryMb: 16 },
    );
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await arena.attacker.invoke("per-call")).status);
    assert.deepEqual(statuses, Array(30).fill(200));
  });
});
