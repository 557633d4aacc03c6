// Metering overhead: warm throughput of one function with per-invocation metrics on (the default) and off
// (RUNLET_METRICS=false), in alternating rounds, in the same run. Metering itself (GET …/usage) is summed in
// SQL from the activation records, which every invocation writes anyway (they are the activation log); the
// only per-invocation work metering and metrics add is counting each activation into the Prometheus
// counters and histogram, which RUNLET_METRICS=false turns off. Target: ≤ 5% of warm throughput.
import { fmtPercent, fmtRate, printTable } from "./lib/format.js";
import { runLoad, type LoadResult } from "./lib/loadgen.js";
import { errorMessage, type BenchOutcome } from "./lib/report.js";
import { AUTH_HEADERS, deployFunction, startRunlet } from "./lib/runlet.js";
import { loadSeconds, warmupSeconds } from "./lib/settings.js";
import { runStandalone } from "./lib/standalone.js";

const ROUNDS = Number(process.env.BENCH_METERING_ROUNDS ?? 2);
const SOURCE = 'export default async function () { return { hello: "world" } }';

async function measure(metrics: boolean): Promise<LoadResult> {
  const runlet = await startRunlet({ env: { RUNLET_METRICS: String(metrics) } });
  try {
    await deployFunction(runlet, "hello", { source: SOURCE, concurrency: 32 });
    return await runLoad(
      {
        url: `${runlet.url}${runlet.functionUrl("hello", "/invoke")}`,
        method: "POST",
        headers: { ...AUTH_HEADERS, "content-type": "application/json" },
        body: "{}",
        connections: 32,
        pipelining: 1,
        durationSeconds: loadSeconds(),
        warmupSeconds: warmupSeconds(),
      },
      runlet.child.proc.pid,
    );
  } finally {
    await runlet.stop();
  }
}

export async function meteringOverhead(): Promise<BenchOutcome> {
  const on: number[] = [];
  const off: number[] = [];
  const table: string[][] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which goes first, so drift on a noisy machine does not favour one side.
    const order = round % 2 === 1 ? [true, false] : [false, true];
    for (const metrics of order) {
      const result = await measure(metrics);
      (metrics ? on : off).push(result.okPerSecond);
      table.push([
        String(round),
        metrics ? "on" : "off",
        fmtRate(result.okPerSecond),
        String(result.non2xx + result.errors),
      ]);
    }
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const cost = 1 - mean(on) / mean(off);
  printTable(
    "metering overhead: warm throughput with per-invocation metrics on and off",
    ["round", "metrics", "req/s", "errors"],
    table,
  );
  return {
    name: "metering overhead",
    rows: [
      {
        measurement: "throughput, metrics on",
        value: fmtRate(mean(on)),
        ratio: `${(mean(on) / mean(off)).toFixed(3)}× off`,
      },
      { measurement: "throughput, metrics off", value: fmtRate(mean(off)) },
      {
        measurement: "cost of metering + metrics",
        value: fmtPercent(cost),
        target: "≤ 5%",
        met: cost <= 0.05,
      },
    ],
    errors: [],
    data: { on, off, cost },
  };
}

await runStandalone(import.meta.url, () =>
  meteringOverhead().catch((err) => ({
    name: "metering overhead",
    rows: [],
    errors: [errorMessage(err)],
    data: {},
  })),
);
