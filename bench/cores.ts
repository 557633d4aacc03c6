// All cores: isolated-vm runs each isolate's code on its own thread, so CPU-bound invocations of different
// instances run in parallel. One invocation of a fixed amount of CPU work is timed alone, then 2 and 4 at
// once (each on its own instance). With C cores, k ≤ C parallel invocations should take about as long as
// one, and 2C about twice as long. The baseline is the single invocation, measured in the same run.
import os from "node:os";
import { fmtMs, printTable } from "./lib/format.js";
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { deployFunction, startRunlet, type Runlet } from "./lib/runlet.js";
import { runStandalone } from "./lib/standalone.js";
import { median } from "./lib/stats.js";

const ITERATIONS = Number(process.env.BENCH_CORES_ITERATIONS ?? 60_000_000);
const SOURCE = `export default async (event) => {
  let x = 0;
  for (let i = 0; i < event.payload.n; i++) x = (x + i * 7) % 1000003;
  return x;
}`;

async function timeParallel(runlet: Runlet, k: number): Promise<number> {
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: k }, () =>
      runlet.api("POST", runlet.functionUrl("spin", "/invoke"), { n: ITERATIONS }),
    ),
  );
  const elapsed = performance.now() - started;
  const bad = answers.filter((a) => a.status !== 200);
  if (bad.length) throw new Error(`${bad.length} invocations failed: ${bad[0]!.status} ${bad[0]!.body}`);
  return elapsed;
}

export async function cores(): Promise<BenchOutcome> {
  const cpus = os.availableParallelism();
  const runlet = await startRunlet();
  try {
    await deployFunction(runlet, "spin", {
      source: SOURCE,
      concurrency: 1,
      minInstances: 4,
      maxInstances: 4,
    });
    await timeParallel(runlet, 4); // JIT-warm all four instances
    const levels = [1, 2, 4];
    const times = new Map<number, number>();
    for (const k of levels) {
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) samples.push(await timeParallel(runlet, k));
      times.set(k, median(samples));
    }
    const one = times.get(1)!;
    printTable(
      `cores: CPU-bound invocations in parallel, each on its own instance (${cpus} cores available)`,
      ["in parallel", "wall time (median of 3)", "vs one alone", "ideal on this machine"],
      levels.map((k) => [
        String(k),
        fmtMs(times.get(k)!),
        `${(times.get(k)! / one).toFixed(2)}×`,
        `${Math.ceil(k / cpus).toFixed(2)}×`,
      ]),
    );
    const rows: SummaryRow[] = levels
      .filter((k) => k > 1)
      .map((k) => ({
        measurement: `${k} CPU-bound invocations at once vs one alone`,
        value: fmtMs(times.get(k)!),
        ratio: `${(times.get(k)! / one).toFixed(2)}×`,
        target: `≈ ${Math.ceil(k / cpus)}× (${cpus} cores)`,
        met: times.get(k)! / one <= Math.ceil(k / cpus) * 1.3,
      }));
    return {
      name: "cores",
      rows,
      errors: [],
      data: { cpus, iterations: ITERATIONS, times: Object.fromEntries(times) },
    };
  } finally {
    await runlet.stop();
  }
}

await runStandalone(import.meta.url, () =>
  cores().catch((err) => ({ name: "cores", rows: [], errors: [errorMessage(err)], data: {} })),
);
