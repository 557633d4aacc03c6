// Scale to zero: the platform's RSS before any function is deployed, with 1,000 warm functions, and after
// every instance has idled out (RUNLET_IDLE_TIMEOUT_MS=30000, so the 1,000 stay warm while they are invoked), each after a full GC of the host heap
// (node --expose-gc; see lib/gc-on-signal.mjs). Target: back within 10% of "before".
//
// Run twice: with glibc's malloc (the default) and with jemalloc preloaded (when the machine has it). V8
// allocates part of each isolate with malloc; glibc keeps freed chunks cached in its heap (reused by the
// next isolates: repeated cycles plateau, it is not a leak), while jemalloc returns them to the OS after its
// decay time (1 s here), so the two show what is the platform's and what is the allocator's.
import { existsSync } from "node:fs";
import { fmtCount, printTable } from "./lib/format.js";
import {
  collectGarbage,
  deployFleet,
  FLEET_ENV,
  GC_NODE_ARGS,
  invokeFleet,
  poolGauges,
} from "./lib/fleet.js";
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { startRunlet } from "./lib/runlet.js";
import { runStandalone } from "./lib/standalone.js";

const FUNCTIONS = Number(process.env.BENCH_SCALE_FUNCTIONS ?? 1000);
const JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Phase {
  allocator: string;
  before: number;
  warm: number;
  warmCount: number;
  after: number;
}

async function cycle(allocator: string, env: Record<string, string>): Promise<Phase> {
  const runlet = await startRunlet({
    env: { RUNLET_IDLE_TIMEOUT_MS: "30000", ...FLEET_ENV, ...env },
    nodeArgs: GC_NODE_ARGS,
  });
  try {
    // Warm the platform's own code paths first (one deploy and invoke, then delete), so "before" is a
    // platform that has served requests, not one that has not loaded its modules yet.
    await deployFleet(runlet, 1);
    await invokeFleet(runlet, 1);
    await runlet.api("DELETE", runlet.functionUrl("fn-0"));
    await collectGarbage(runlet);
    const before = await runlet.rssMiB();
    await deployFleet(runlet, FUNCTIONS);
    await invokeFleet(runlet, FUNCTIONS);
    await collectGarbage(runlet);
    const warm = await runlet.rssMiB();
    const warmCount = (await poolGauges(runlet)).warm;
    const deadline = Date.now() + 90_000;
    while ((await poolGauges(runlet)).warm > 0) {
      if (Date.now() > deadline) throw new Error("instances did not idle out within 90 s");
      await sleep(500);
    }
    await sleep(1500); // jemalloc's decay
    await collectGarbage(runlet, 1500);
    const after = await runlet.rssMiB();
    return { allocator, before, warm, warmCount, after };
  } finally {
    await runlet.stop();
  }
}

export async function scaleToZero(): Promise<BenchOutcome> {
  const phases: Phase[] = [];
  const errors: string[] = [];
  const variants: [string, Record<string, string>][] = [["glibc malloc", {}]];
  if (existsSync(JEMALLOC)) {
    variants.push([
      "jemalloc",
      { LD_PRELOAD: JEMALLOC, MALLOC_CONF: "dirty_decay_ms:1000,muzzy_decay_ms:1000" },
    ]);
  } else errors.push(`jemalloc not found at ${JEMALLOC} (apt-get install libjemalloc2); ran with glibc only`);
  for (const [name, env] of variants) {
    try {
      phases.push(await cycle(name, env));
    } catch (err) {
      errors.push(`${name}: ${errorMessage(err)}`);
    }
  }
  printTable(
    `scale to zero: platform RSS before deploy, with ${FUNCTIONS} warm functions, after idle expiry (full GC each time)`,
    [
      "allocator",
      "before",
      `with ${fmtCount(FUNCTIONS)} warm`,
      "warm",
      "after idle expiry",
      "after / before",
    ],
    phases.map((p) => [
      p.allocator,
      `${p.before.toFixed(0)} MiB`,
      `${p.warm.toFixed(0)} MiB`,
      fmtCount(p.warmCount),
      `${p.after.toFixed(0)} MiB`,
      `${((p.after / p.before - 1) * 100).toFixed(1)}%`,
    ]),
  );
  const rows: SummaryRow[] = phases.map((p) => ({
    measurement: `RSS after idle expiry vs before (${p.allocator})`,
    value: `${p.before.toFixed(0)} → ${p.warm.toFixed(0)} → ${p.after.toFixed(0)} MiB`,
    ratio: `${(p.after / p.before).toFixed(2)}×`,
    target: "≤ 1.10×",
    met: p.after <= p.before * 1.1,
  }));
  return { name: "scale to zero", rows, errors, data: { functions: FUNCTIONS, phases } };
}

await runStandalone(import.meta.url, () =>
  scaleToZero().catch((err) => ({ name: "scale to zero", rows: [], errors: [errorMessage(err)], data: {} })),
);
