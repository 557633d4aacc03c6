// Density: how many distinct small functions stay warm at once within a 1 GiB isolate budget
// (RUNLET_ISOLATE_MEMORY_MB=1024), and the platform's RSS per warm function. More functions are deployed
// than should fit; the memory budget evicts the least recently used idle ones, so "warm at the end" is
// what the budget holds. The baseline is the same platform process with nothing deployed.
import { fmtCount, printTable } from "./lib/format.js";
import {
  collectGarbage,
  deployFleet,
  FLEET_ENV,
  GC_NODE_ARGS,
  invokeFleet,
  poolGauges,
} from "./lib/fleet.js";
import { errorMessage, type BenchOutcome } from "./lib/report.js";
import { startRunlet } from "./lib/runlet.js";
import { runStandalone } from "./lib/standalone.js";

const FUNCTIONS = Number(process.env.BENCH_DENSITY_FUNCTIONS ?? 1200);
const BUDGET_MB = 1024;
const TARGET = 1000;
const MiB = 1024 * 1024;

export async function density(): Promise<BenchOutcome> {
  const runlet = await startRunlet({
    env: { RUNLET_ISOLATE_MEMORY_MB: String(BUDGET_MB), RUNLET_IDLE_TIMEOUT_MS: "3600000", ...FLEET_ENV },
    nodeArgs: GC_NODE_ARGS,
  });
  try {
    await collectGarbage(runlet);
    const rssBefore = await runlet.rssMiB();
    const started = performance.now();
    await deployFleet(runlet, FUNCTIONS);
    const deploySeconds = (performance.now() - started) / 1000;
    const ok = await invokeFleet(runlet, FUNCTIONS);
    await collectGarbage(runlet);
    const gauges = await poolGauges(runlet);
    const rssAfter = await runlet.rssMiB();
    const rssPerWarm = (rssAfter - rssBefore) / gauges.warm;
    const perIsolate = gauges.isolateBytes / gauges.warm / MiB;
    printTable(
      `density: ${FUNCTIONS} distinct small functions deployed and invoked once, isolate budget ${BUDGET_MB} MiB`,
      [
        "deployed",
        "answered",
        "warm at end",
        "evicted",
        "isolate memory",
        "per warm (budget's count)",
        "RSS before",
        "RSS after",
        "RSS per warm function",
      ],
      [
        [
          fmtCount(FUNCTIONS),
          fmtCount(ok),
          fmtCount(gauges.warm),
          fmtCount(gauges.evictions),
          `${(gauges.isolateBytes / MiB).toFixed(0)} MiB`,
          `${perIsolate.toFixed(2)} MiB`,
          `${rssBefore.toFixed(0)} MiB`,
          `${rssAfter.toFixed(0)} MiB`,
          `${rssPerWarm.toFixed(2)} MiB`,
        ],
      ],
    );
    return {
      name: "density",
      rows: [
        {
          measurement: `warm functions within a ${BUDGET_MB} MiB budget`,
          value: fmtCount(gauges.warm),
          ratio: `${(gauges.warm / TARGET).toFixed(2)}× target`,
          target: `≥ ${TARGET}`,
          met: gauges.warm >= TARGET,
        },
        {
          measurement: "RSS per warm function",
          value: `${rssPerWarm.toFixed(2)} MiB`,
          ratio: `${(rssAfter / rssBefore).toFixed(2)}× empty`,
        },
        {
          measurement: "isolate memory per warm function (budget's count)",
          value: `${perIsolate.toFixed(2)} MiB`,
        },
      ],
      errors: ok === FUNCTIONS ? [] : [`${FUNCTIONS - ok} invocations did not answer 200`],
      data: { functions: FUNCTIONS, budgetMb: BUDGET_MB, ok, deploySeconds, rssBefore, rssAfter, ...gauges },
    };
  } finally {
    await runlet.stop();
  }
}

await runStandalone(import.meta.url, () =>
  density().catch((err) => ({ name: "density", rows: [], errors: [errorMessage(err)], data: {} })),
);
