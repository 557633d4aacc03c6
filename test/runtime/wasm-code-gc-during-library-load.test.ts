import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";

const CHILD = path.join(import.meta.dirname, "fixtures", "wasm-code-gc-child.ts");

// When wasm code dies anywhere in the process, V8 runs a wasm code GC that interrupts every isolate, and V8 13+
// (Node 24) aborts the process ("archived threads in combination with wasm not supported") if the isolate
// taking the interrupt has a thread parked in a v8::Unlocker: what an isolate loading a library is, while it
// waits in its synchronous call. The test suite's own fetch (undici parses HTTP in WebAssembly) killed test
// processes this way; a tenant's WebAssembly could kill the platform. src/runtime/ivm.ts turns the wasm code
// GC off. `--stress-wasm-code-gc` starts one at every dead code object, so the race, if possible, happens.
describe("a wasm code GC while isolates load libraries", () => {
  it("never runs, and the process lives through hundreds of library loads beside dying wasm code", () => {
    const run = spawnSync(
      process.execPath,
      ["--no-node-snapshot", "--stress-wasm-code-gc", "--trace-wasm-code-gc", "--import", "tsx", CHILD, "5"],
      { encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const output = `signal ${run.signal}, exit ${run.status}\n${run.stdout.slice(-1000)}\n${run.stderr.slice(-3000)}`;
    assert.equal(run.status, 0, `the process died:\n${output}`);
    const report = JSON.parse(run.stdout.trim().split("\n").pop() ?? "") as {
      isolates: number;
      libraryLoads: number;
    };
    assert.ok(report.libraryLoads >= 300, output);
    assert.doesNotMatch(
      run.stdout + run.stderr,
      /\[wasm-gc\] (Triggering|Starting) GC/,
      "a wasm code GC ran",
    );
  });
});
