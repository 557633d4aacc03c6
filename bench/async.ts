// Async throughput: a trivial function invoked with ?async=true by autocannon (32 connections) for
// BENCH_SECONDS; every 202 means the job was committed with an fsync (SQLite synchronous=FULL, group commit).
// Measured: accepted-to-completed invocations per second (from the first accepted request to the last
// finished run, counted from the activation records) and the 202 latency p50/p99. The baseline, in the same
// run and process, is the sync invoke of the same function: the ratio is what durability and queueing cost.
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { fmtMs, fmtRate, fmtRatio, printTable } from "./lib/format.js";
import { runLoad, type LoadResult } from "./lib/loadgen.js";
import { AUTH_HEADERS, deployFunction, startRunlet, type Runlet } from "./lib/runlet.js";
import { loadSeconds } from "./lib/settings.js";
import { runStandalone } from "./lib/standalone.js";
import { FINAL_STATUSES } from "../src/outcomes.js";

const COMPLETED_TARGET = 5000;
const P99_TARGET_MS = 10;
const SOURCE = "export default async (event) => ({ ok: true, echo: event.payload })";
const HEADERS: Record<string, string> = { ...AUTH_HEADERS, "content-type": "application/json" };
const CONFIG = { source: SOURCE, concurrency: 32, maxInstances: 2 };
const FINAL = new Set<string>(FINAL_STATUSES);
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** The millisecond an activation id was minted (ids start with 10 base-32 digits of time): its acceptance. */
function idTime(id: string): number {
  let ms = 0;
  for (const c of id.slice(4, 14)) ms = ms * 32 + ALPHABET.indexOf(c);
  return ms;
}

interface Drained {
  count: number;
  succeeded: number;
  firstAcceptedAt: number;
  lastEndedAt: number;
}

/** Waits until no activation of `fn` is queued or running, then reads them all. */
async function drain(runlet: Runlet, fn: string, timeoutMs: number): Promise<Drained> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let open = 0;
    for (const status of ["queued", "running"]) {
      const res = await runlet.api(
        "GET",
        `/v1/accounts/default/activations?function=${fn}&status=${status}&limit=1`,
      );
      open += (JSON.parse(res.body) as { activations: unknown[] }).activations.length;
    }
    if (open === 0) break;
    if (Date.now() > until) throw new Error(`activations still open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const drained: Drained = { count: 0, succeeded: 0, firstAcceptedAt: Infinity, lastEndedAt: 0 };
  let before: string | undefined;
  do {
    const res = await runlet.api(
      "GET",
      `/v1/accounts/default/activations?function=${fn}&limit=1000${before ? `&before=${before}` : ""}`,
    );
    const page = JSON.parse(res.body) as {
      activations: { id: string; status: string; startedAt: string; durationMs: number }[];
      next?: string;
    };
    for (const a of page.activations) {
      if (!FINAL.has(a.status)) throw new Error(`${a.id} is ${a.status} after the drain`);
      drained.count++;
      if (a.status === "succeeded") drained.succeeded++;
      drained.firstAcceptedAt = Math.min(drained.firstAcceptedAt, idTime(a.id));
      drained.lastEndedAt = Math.max(drained.lastEndedAt, Date.parse(a.startedAt) + a.durationMs);
    }
    before = page.next;
  } while (before);
  return drained;
}

export async function asyncThroughput(): Promise<BenchOutcome> {
  const seconds = loadSeconds();
  console.log(
    `\n== async: autocannon, 32 connections, ${seconds} s of ?async=true, then drained; sync baseline`,
  );
  const errors: string[] = [];
  const rows: SummaryRow[] = [];
  let sync: LoadResult | undefined;
  let accepted: LoadResult | undefined;
  let drained: Drained | undefined;
  const runlet = await startRunlet();
  try {
    await deployFunction(runlet, "bench-sync", CONFIG);
    await deployFunction(runlet, "bench-async", CONFIG);
    const pid = runlet.child.proc.pid;
    const load = (name: string, query: string) =>
      runLoad(
        {
          url: `${runlet.url}${runlet.functionUrl(name, "/invoke")}${query}`,
          method: "POST",
          headers: HEADERS,
          body: '{"n":1}',
          connections: 32,
          pipelining: 1,
          durationSeconds: seconds,
          warmupSeconds: 0,
        },
        pid,
      );
    process.stdout.write("   sync invoke (baseline) … ");
    sync = await load("bench-sync", "");
    console.log(`${fmtRate(sync.okPerSecond)}, p99 ${fmtMs(sync.latencyMs.p99)}`);
    process.stdout.write("   async invoke … ");
    accepted = await load("bench-async", "?async=true");
    console.log(`${fmtRate(accepted.okPerSecond)} accepted, 202 p99 ${fmtMs(accepted.latencyMs.p99)}`);
    process.stdout.write("   draining … ");
    drained = await drain(runlet, "bench-async", 120_000);
    console.log(`${drained.count} activations, ${drained.succeeded} succeeded`);
    if (drained.count < accepted.ok) errors.push(`${accepted.ok} accepted but ${drained.count} activations`);
  } catch (err) {
    errors.push(errorMessage(err));
  } finally {
    await runlet.stop();
  }
  if (sync && accepted && drained) {
    const completedPerSecond = drained.succeeded / ((drained.lastEndedAt - drained.firstAcceptedAt) / 1000);
    const ratio = completedPerSecond / sync.okPerSecond;
    // Requests per CPU-second the server used: an efficiency figure less sensitive to a noisy machine.
    const perCpu = (r: LoadResult) => (r.cpu && r.cpu.server > 0 ? r.okPerSecond / r.cpu.server : Number.NaN);
    const syncPerCpu = perCpu(sync);
    const asyncPerCpu = perCpu(accepted);
    printTable(
      "async invocation (durable: fsync on commit)",
      ["measurement", "result", "ratio to sync"],
      [
        ["sync invoke, completed/s", fmtRate(sync.okPerSecond), "1.00×"],
        [
          "async, accepted (202)/s",
          fmtRate(accepted.okPerSecond),
          fmtRatio(accepted.okPerSecond / sync.okPerSecond),
        ],
        ["async, accepted-to-completed/s", fmtRate(completedPerSecond), fmtRatio(ratio)],
        ["sync, requests per server CPU-second", fmtRate(syncPerCpu), "1.00×"],
        [
          "async, 202s per server CPU-second (runs included)",
          fmtRate(asyncPerCpu),
          fmtRatio(asyncPerCpu / syncPerCpu),
        ],
        ["202 latency p50", fmtMs(accepted.latencyMs.p50), ""],
        ["202 latency p99", fmtMs(accepted.latencyMs.p99), ""],
      ],
    );
    rows.push(
      {
        measurement: "accepted-to-completed/s",
        value: fmtRate(completedPerSecond),
        ratio: fmtRatio(ratio),
        target: `≥ ${COMPLETED_TARGET}/s`,
        met: completedPerSecond >= COMPLETED_TARGET,
      },
      {
        measurement: "202s per server CPU-s",
        value: fmtRate(asyncPerCpu),
        ratio: fmtRatio(asyncPerCpu / syncPerCpu),
      },
      {
        measurement: "202 latency p50 (ratio: to the sync 200's)",
        value: fmtMs(accepted.latencyMs.p50),
        ratio: fmtRatio(accepted.latencyMs.p50 / sync.latencyMs.p50),
      },
      {
        measurement: "202 latency p99 (ratio: to the sync 200's)",
        value: fmtMs(accepted.latencyMs.p99),
        ratio: fmtRatio(accepted.latencyMs.p99 / sync.latencyMs.p99),
        target: `≤ ${P99_TARGET_MS} ms`,
        met: accepted.latencyMs.p99 <= P99_TARGET_MS,
      },
    );
  }
  return {
    name: "async",
    rows,
    errors,
    data: { seconds, sync, accepted, drained },
  };
}

await runStandalone(import.meta.url, asyncThroughput);
