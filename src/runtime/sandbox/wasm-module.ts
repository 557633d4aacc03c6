// Reads and rewrites the memory section of a WebAssembly binary (no WebAssembly API involved), so that
// no memory a module defines can grow past what the function's memoryMb has left (memory-limits.ts).
// It runs in the tenant's realm on demand, after tenant code may have patched any prototype: so it uses
// no method of Array or %TypedArray%.prototype, only indexing into typed arrays it made itself (integer
// keys of a typed array never reach a prototype) and loops.

export const PAGE = 65536;

const OriginalUint8Array = Uint8Array;
const OriginalFloat64Array = Float64Array;
const floor = Math.floor;

/** The memories a module defines: initial sizes and maxima in pages (NaN: none declared). */
export interface DefinedMemories {
  count: number;
  initial: Float64Array;
  maximum: Float64Array;
}

export class WasmBinaryError extends Error {}

let end = 0;

/** An unsigned LEB128 of at most `maxBytes` bytes at `at`, as a Number (exact to 2^53; larger only compares); sets `end`. */
function readLeb(bytes: Uint8Array, at: number, maxBytes: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (at + i >= bytes.length) throw new WasmBinaryError("the module ends inside a number");
    const byte = bytes[at + i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) {
      end = at + i + 1;
      return value;
    }
  }
  throw new WasmBinaryError("a number in the module is too long");
}

/** Writes `value` as LEB128 into `out` at `at`; returns where it ended. */
function writeLeb(out: Uint8Array, at: number, value: number): number {
  let rest = value;
  let i = at;
  for (;;) {
    const low = rest % 128;
    rest = floor(rest / 128);
    if (rest === 0) {
      out[i] = low;
      return i + 1;
    }
    out[i++] = low | 0x80;
  }
}

const MEMORY_SECTION = 5;
const HAS_MAX = 0x01;
const SHARED = 0x02;
const MEMORY64 = 0x04;
const MAX_MEMORIES = 100;

/**
 * The module's bytes (a copy) with every defined memory's maximum set to what `clamp` answers (pages, one
 * per memory, each at least its initial size), and the memories as declared. Throws WasmBinaryError on a
 * binary it cannot read: nothing it has not read reaches the compiler.
 */
export function rewriteMemories(
  bytes: Uint8Array,
  clamp: (memories: DefinedMemories) => Float64Array,
): Uint8Array {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new WasmBinaryError("not a WebAssembly module (no \\0asm header)");
  // A memory's entry grows by at most 11 bytes (a maximum added), the section's size by 5.
  const out = new OriginalUint8Array(bytes.length + 16 + MAX_MEMORIES * 11);
  let written = 0;
  const copy = (from: number, to: number): void => {
    for (let i = from; i < to; i++) out[written++] = bytes[i]!;
  };
  copy(0, 8);
  let at = 8;
  let seen = 0;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const size = readLeb(bytes, at + 1, 5);
    const start = end;
    const stop = start + size;
    if (stop > bytes.length) throw new WasmBinaryError("a section runs past the end of the module");
    if (id !== MEMORY_SECTION) {
      copy(at, stop);
    } else {
      if (seen++ > 0) throw new WasmBinaryError("the module has more than one memory section");
      const count = readLeb(bytes, start, 5);
      if (count > MAX_MEMORIES) throw new WasmBinaryError("the module defines too many memories");
      const memories: DefinedMemories = {
        count,
        initial: new OriginalFloat64Array(count),
        maximum: new OriginalFloat64Array(count),
      };
      const flags = new OriginalFloat64Array(count);
      let p = end;
      for (let i = 0; i < count; i++) {
        const flag = readLeb(bytes, p, 5);
        p = end;
        // Any other flag (custom page sizes, future proposals) could change what a page is: refused.
        if ((flag & ~(HAS_MAX | SHARED | MEMORY64)) !== 0)
          throw new WasmBinaryError(`memory ${i} has limits flags 0x${flag.toString(16)}, not allowed here`);
        const width = flag & MEMORY64 ? 10 : 5;
        memories.initial[i] = readLeb(bytes, p, width);
        p = end;
        memories.maximum[i] = NaN;
        if (flag & HAS_MAX) {
          memories.maximum[i] = readLeb(bytes, p, width);
          p = end;
        }
        flags[i] = flag;
      }
      if (p !== stop) throw new WasmBinaryError("the memory section has bytes after its last memory");
      const maxima = clamp(memories);
      const body = new OriginalUint8Array(5 + count * 21);
      let b = writeLeb(body, 0, count);
      for (let i = 0; i < count; i++) {
        b = writeLeb(body, b, flags[i]! | HAS_MAX);
        b = writeLeb(body, b, memories.initial[i]!);
        b = writeLeb(body, b, maxima[i]!);
      }
      out[written++] = MEMORY_SECTION;
      written = writeLeb(out, written, b);
      for (let i = 0; i < b; i++) out[written++] = body[i]!;
    }
    at = stop;
  }
  return new OriginalUint8Array(out.buffer, 0, written);
}
