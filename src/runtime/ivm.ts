// The isolated-vm build for the running Node line. No release spans every supported line: 6.x is
// prebuilt for Node 22 and 24 (it declares node >=22), 5.0.4 is the last that builds on Node 20 and does
// not build on 24. package.json lists both as optional dependencies, each restricted by `engines`, so npm
// installs exactly one; this picks it. Their typings are byte-identical: type imports name them
// "isolated-vm-types", which tsconfig.json maps to whichever is installed (a `paths` entry named
// "isolated-vm" would also redirect tsx's runtime require to the .d.ts).
import { createRequire } from "node:module";
import v8 from "node:v8";
import type ivmModule from "isolated-vm-types";

const require = createRequire(import.meta.url);
const major = Number(process.versions.node.split(".")[0]);
const name = major >= 22 ? "isolated-vm" : "isolated-vm-node20";

function load(): typeof ivmModule {
  try {
    return require(name) as typeof ivmModule;
  } catch (err) {
    throw new Error(
      `isolated-vm is not installed for Node ${process.versions.node} (looked for ${name}); ` +
        `run npm install with this Node (Runlet supports Node 20.19+, 22.14+ and 24)`,
      { cause: err },
    );
  }
}

/**
 * Host-side caps on memory V8 commits outside an isolate's heap, where neither isolated-vm's memory limit
 * nor the prelude's accounting (sandbox/memory-limits.ts) can be trusted alone: V8 flags of this process,
 * out of any tenant's reach, read by V8 at each allocation. Verified on V8 11.3, 12.4 and 13.6 (test/hostile/
 * wasm-memory-growth.test.ts). `--wasm-max-mem-pages` caps every single WebAssembly memory (memory64 too) at
 * the largest memoryMb a function may have. Resizable ArrayBuffers and growable SharedArrayBuffers have no
 * such cap: V8 11.3's `--no-harmony-rab-gsab` switches them off but breaks whatwg-url (webidl-conversions
 * reads `ArrayBuffer.prototype.resizable`), and V8 12.4+ has no flag at all; only the prelude bounds them.
 */
let wasmCapMb = 0;
export function capBackingStores(maxMemoryMb: number): void {
  if (maxMemoryMb <= wasmCapMb) return; // one process, several platforms (tests): the largest wins
  wasmCapMb = maxMemoryMb;
  v8.setFlagsFromString(`--wasm-max-mem-pages=${Math.floor((maxMemoryMb * 1024 * 1024) / 65536)}`);
}

/**
 * No wasm code GC in this process. When wasm code dies anywhere (a tenant's module tiering up, an instance's
 * import wrappers), V8 interrupts *every* isolate to collect it, and V8 13+ (Node 24) aborts the process if
 * the isolate taking the interrupt has a thread parked in a v8::Unlocker (FATAL "archived threads in
 * combination with wasm not supported"). An isolate loading a library is in exactly that state for a
 * moment: its thread waits in a synchronous call while the host runs the library's script in it
 * (sync-bridge.ts). So one tenant's WebAssembly could end the process under another's first `new URL()`
 * (test/runtime/wasm-code-gc-during-library-load.test.ts). Without the GC, dead code is freed with its
 * module; an idle isolate held every such GC up until it next ran anyway.
 */
v8.setFlagsFromString("--no-wasm-code-gc");
const ivm = load();
// Contexts made from now on (isolates' only) get V8's `gc`; the prelude takes it before any tenant code runs
// and uses it only to give back WebAssembly memory that is garbage when a reservation does not fit.
v8.setFlagsFromString("--expose-gc");
capBackingStores(1024);
export default ivm;
