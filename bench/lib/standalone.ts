// The summary table, and running one benchmark file on its own (`node --import tsx bench/cold-start.ts`).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installCleanupHandlers } from "./children.js";
import { closeConnections } from "./http.js";
import { errorMessage, type BenchOutcome } from "./report.js";
import { printTable } from "./format.js";

export function printSummary(outcomes: BenchOutcome[], elapsedMs: number): void {
  const rows: string[][] = [];
  for (const outcome of outcomes) {
    for (const row of outcome.rows) {
      const verdict = row.met === undefined ? "" : row.met ? "met" : "MISSED";
      rows.push([outcome.name, row.measurement, row.value, row.ratio ?? "", row.target ?? "", verdict]);
    }
  }
  printTable(
    `summary (${(elapsedMs / 1000).toFixed(0)} s; ratios against bare node:http measured in this run; targets are reported, not enforced)`,
    ["benchmark", "measurement", "result", "ratio", "target", ""],
    rows,
  );
  const errors = outcomes.flatMap((o) => o.errors.map((e) => `${o.name}: ${e}`));
  if (errors.length) {
    console.log(`\n${errors.length} measurement(s) could not be made:`);
    for (const e of errors) console.log(`  - ${e.replace(/\n/g, "\n    ")}`);
  }
  const jsonPath = process.env.BENCH_JSON;
  if (jsonPath) {
    const data = Object.fromEntries(outcomes.map((o) => [o.name, { ...o.data, errors: o.errors }]));
    writeFileSync(
      jsonPath,
      `${JSON.stringify({ date: new Date().toISOString(), elapsedMs, ...data }, null, 2)}\n`,
    );
    console.log(`\nraw numbers written to ${jsonPath}`);
  }
}

/** Runs the benchmarks one after another; a benchmark that throws is reported, and the others still run. */
export async function runAll(
  benchmarks: { name: string; run: () => Promise<BenchOutcome> }[],
): Promise<void> {
  installCleanupHandlers();
  const started = performance.now();
  const outcomes: BenchOutcome[] = [];
  for (const bench of benchmarks) {
    try {
      outcomes.push(await bench.run());
    } catch (err) {
      outcomes.push({ name: bench.name, rows: [], errors: [errorMessage(err)], data: {} });
    }
  }
  closeConnections();
  printSummary(outcomes, performance.now() - started);
  process.exitCode = outcomes.some((o) => o.errors.length > 0) ? 1 : 0;
}

/** When `moduleUrl` is the script node was started with, runs `run` alone and prints its summary. */
export async function runStandalone(moduleUrl: string, run: () => Promise<BenchOutcome>): Promise<void> {
  const entry = process.argv[1];
  if (!entry || path.resolve(entry) !== fileURLToPath(moduleUrl)) return;
  await runAll([{ name: path.basename(entry, ".ts"), run }]);
}
