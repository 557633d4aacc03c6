// The one synchronous binding an isolate has, for work of constant size only: everything a tenant can
// make large (URL parsing, hashes, HMACs, random streams) runs inside the isolate, on its own thread and
// time, so a tenant looping over them slows only itself. What is left: a seed from the host's CSPRNG (the
// isolate's generator reseeds with it every MiB), and loading a prebuilt library into the isolate the
// first time it needs one. The isolate's code is untrusted: every argument is checked.
import { randomFillSync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type ivm from "isolated-vm-types";
import { sandboxDir } from "./prelude-source.js";

/** A seed's size; the sandbox asks for 32 bytes. */
const MAX_RANDOM = 64;
/** The libraries of sandbox/libs.ts, each a script in dist/sandbox/ (scripts/build.mjs). */
const LIBS = new Set(["url", "idna", "hashes"]);

type CompiledScript = ivm.Script & ivm.CachedDataResult;
const libs = new Map<string, { source: string; cache?: ivm.ExternalCopy<ArrayBuffer> }>();

function libSource(name: string): { source: string; cache?: ivm.ExternalCopy<ArrayBuffer> } {
  let lib = libs.get(name);
  if (!lib) {
    const file = path.join(sandboxDir(), `${name}.js`);
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
    lib = { source: readFileSync(file, "utf8") };
    libs.set(name, lib);
  }
  return lib;
}

/**
 * Runs library `name` in the calling isolate (re-entrant: the isolate waits in this call). Bounded work:
 * our own script, compiled from V8's code cache after the first time.
 */
function loadLib(isolate: ivm.Isolate, context: ivm.Context, name: string): void {
  const lib = libSource(name);
  const script: CompiledScript = isolate.compileScriptSync(lib.source, {
    filename: `runlet:${name}.js`,
    ...(lib.cache ? { cachedData: lib.cache } : { produceCachedData: true }),
  });
  if (!lib.cache && script.cachedData) lib.cache = script.cachedData;
  script.runSync(context, { timeout: 1000 });
}

/** The synchronous operations of one isolate; throws TypeError on bad input (the sandbox sees it). */
export function syncOps(isolate: ivm.Isolate, context: ivm.Context) {
  return (op: unknown, a: unknown): unknown => {
    switch (op) {
      case "random": {
        const size = Number(a);
        if (!Number.isInteger(size) || size < 0 || size > MAX_RANDOM) throw new TypeError("bad random size");
        const bytes = randomFillSync(Buffer.alloc(size));
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + size);
      }
      case "lib":
        if (typeof a !== "string" || !LIBS.has(a)) throw new TypeError(`unknown library ${String(a)}`);
        return loadLib(isolate, context, a);
      default:
        throw new TypeError(`unknown operation ${String(op)}`);
    }
  };
}
