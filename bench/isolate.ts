// Isolate start and idle memory, in-process (no HTTP): how long a new isolate with the prelude (every web
// global of the sandbox) takes to make, and how much heap an idle warm instance of a small function holds.
// Baseline in the same run: a bare isolate with an empty context (what V8 costs before Runlet adds anything).
import type ivm from "isolated-vm-types";
import isolatedVm from "../src/runtime/ivm.js";
import { compileSource } from "../src/runtime/compile.js";
import { Instance } from "../src/runtime/instance.js";
import { createSpare, SparePool } from "../src/runtime/spares.js";
import { fmtMs, fmtRatio, printTable } from "./lib/format.js";
import type { BenchOutcome } from "./lib/report.js";
import { summarize } from "./lib/stats.js";
import { runStandalone } from "./lib/standalone.js";

const START_TARGET_MS = 2;
const IDLE_TARGET_MIB = 2;
const ROUNDS = Number(process.env.BENCH_ISOLATES ?? 300);
const MIB = 1024 * 1024;

function bareIsolate(): ivm.Isolate {
  const isolate = new isolatedVm.Isolate({ memoryLimit: 128 });
  isolate.createContextSync();
  return isolate;
}

function heapMiB(isolate: ivm.Isolate): number {
  const stats = isolate.getHeapStatisticsSync();
  return (stats.used_heap_size + stats.externally_allocated_size) / MIB;
}

const SIMPLE = `export default { fetch(request) { return new Response("hello " + request.method); } };`;
const WEB_GLOBALS = `export default {
  async fetch(request) {
    const url = new URL(request.url);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(url.pathname));
    return new Response(btoa(String.fromCharCode(...new Uint8Array(digest))), { headers: { "x-id": crypto.randomUUID() } });
  },
};`;

export async function isolateBench(): Promise<BenchOutcome> {
  console.log(`\n== isolate start and idle memory: ${ROUNDS} isolates each way`);
  // Warm-up: the first prelude compile fills the shared code cache.
  createSpare(128).isolate.dispose();
  bareIsolate().dispose();

  const bareMs: number[] = [];
  const preludeMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = performance.now();
    const bare = bareIsolate();
    bareMs.push(performance.now() - t0);
    bare.dispose();
    t0 = performance.now();
    const spare = createSpare(128);
    preludeMs.push(performance.now() - t0);
    spare.isolate.dispose();
  }

  const bareHeap: number[] = [];
  const idleHeap: number[] = [];
  // BENCH_FUNCTION=simple measures a function that touches no web global (comparable across prelude versions).
  const code = await compileSource({
    source: process.env.BENCH_FUNCTION === "simple" ? SIMPLE : WEB_GLOBALS,
  });
  for (let i = 0; i < 20; i++) {
    const bare = bareIsolate();
    bareHeap.push(heapMiB(bare));
    bare.dispose();
    const instance = await Instance.start({
      code,
      account: "bench",
      name: "idle",
      version: 1,
      env: {},
      memoryMb: 128,
      logLines: 256,
      logBytes: 65536,
      responseBytes: 6 * MIB,
      spares: new SparePool(0),
    });
    const outcome = await instance.invoke(
      {
        id: `act_${i}`,
        deadline: Date.now() + 5000,
        event: {
          id: `act_${i}`,
          type: "bench",
          source: "/bench",
          time: new Date().toISOString(),
          payload: null,
          headers: [],
        },
        request: { method: "GET", url: "https://bench.invalid/x", headers: [], body: null },
      },
      5000,
    );
    if (outcome.status !== "succeeded") throw new Error(`the bench function failed: ${outcome.message}`);
    idleHeap.push(heapMiB((instance as unknown as { booted: { isolate: ivm.Isolate } }).booted.isolate));
    instance.dispose();
  }

  const bare = summarize(bareMs);
  const prelude = summarize(preludeMs);
  // Each round makes a bare isolate and then one with the prelude: the per-round difference is what the
  // prelude adds, and it shrugs off the load swings of a shared machine better than either p50 alone.
  const added = summarize(preludeMs.map((ms, i) => ms - (bareMs[i] ?? 0)));
  const bareMem = summarize(bareHeap);
  const idle = summarize(idleHeap);
  printTable(
    "isolate start (ms) and heap (MiB)",
    ["measurement", "min", "p50", "p90", "p99"],
    [
      ["bare isolate + context", fmtMs(bare.min), fmtMs(bare.p50), fmtMs(bare.p90), fmtMs(bare.p99)],
      ["isolate + prelude", fmtMs(prelude.min), fmtMs(prelude.p50), fmtMs(prelude.p90), fmtMs(prelude.p99)],
      [
        "added by the prelude (per round)",
        fmtMs(added.min),
        fmtMs(added.p50),
        fmtMs(added.p90),
        fmtMs(added.p99),
      ],
      ["bare isolate heap", ...[bareMem.min, bareMem.p50, bareMem.p90, bareMem.p99].map((v) => v.toFixed(2))],
      ["idle warm instance heap", ...[idle.min, idle.p50, idle.p90, idle.p99].map((v) => v.toFixed(2))],
    ],
  );
  return {
    name: "isolate",
    rows: [
      {
        measurement: "isolate start with prelude, p50",
        value: fmtMs(prelude.p50),
        ratio: fmtRatio(prelude.p50 / bare.p50),
        target: `≤ ${START_TARGET_MS} ms`,
        met: prelude.p50 <= START_TARGET_MS,
      },
      {
        measurement: "prelude's share of isolate start, p50 of per-round difference",
        value: fmtMs(added.p50),
      },
      {
        measurement: "idle warm instance heap, p50",
        value: `${idle.p50.toFixed(2)} MiB`,
        ratio: fmtRatio(idle.p50 / bareMem.p50),
        target: `≤ ${IDLE_TARGET_MIB} MiB`,
        met: idle.p50 <= IDLE_TARGET_MIB,
      },
    ],
    errors: [],
    data: { bareMs: bare, preludeMs: prelude, addedMs: added, bareHeapMiB: bareMem, idleHeapMiB: idle },
  };
}

await runStandalone(import.meta.url, isolateBench);
