import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ivm, { capBackingStores } from "../../src/runtime/ivm.js";

// The host process's own V8 flags (src/runtime/ivm.ts): they hold for an isolate whatever its prelude does,
// so this test runs code in a bare isolate, with no prelude at all.
describe("runtime: host-side caps on backing stores outside the V8 heap", () => {
  it("no single WebAssembly memory grows past the largest memoryMb (RUNLET_MAX_MEMORY_MB), memory64 too", () => {
    capBackingStores(1024);
    const isolate = new ivm.Isolate({ memoryLimit: 16 });
    try {
      const context = isolate.createContextSync();
      const pagesReached = (descriptor: string) =>
        context.evalSync(`{
          const memory = new WebAssembly.Memory(${descriptor});
          let pages = 1;
          try { for (;;) { memory.grow(1024); pages += 1024; } } catch {}
          pages;
        }`);
      assert.equal(pagesReached(`{ initial: 1 }`), 15361, "1 GiB is 16384 pages: the next 1024 do not fit");
      assert.equal(pagesReached(`{ initial: 1, maximum: 65536 }`), 15361);
      const major = Number(process.versions.node.split(".")[0]);
      // memory64: an index type of "i64" (V8 12.4: `index`, BigInt-free) or `address` with BigInts (13.6).
      if (major === 22) assert.equal(pagesReached(`{ initial: 1, index: "i64" }`), 15361);
    } finally {
      isolate.dispose();
    }
  });
});
