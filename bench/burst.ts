// Burst: 0 → 500 concurrent requests at once on a function that awaits 10 ms, with concurrency 1, so each
// in-flight request needs its own instance. Reports instances started (cold starts), p50/p99 latency and the
// 429s, checks that no request was lost (each answered 200 or 429, nothing else), and compares latency with
// a bare node:http server awaiting the same 10 ms under the same burst, measured in the same run.
import http from "node:http";
import { fmtCount, fmtMs, fmtRatio, printTable } from "./lib/format.js";
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { AUTH_HEADERS, deployFunction, startRunlet } from "./lib/runlet.js";
import { runStandalone } from "./lib/standalone.js";
import { summarize, type Summary } from "./lib/stats.js";
import { startNodeHttp } from "./lib/targets.js";

const REQUESTS = Number(process.env.BENCH_BURST_REQUESTS ?? 500);
const MAX_INSTANCES = Number(process.env.BENCH_BURST_MAX_INSTANCES ?? 100);
const SOURCE =
  "export default async () => { await new Promise((r) => setTimeout(r, 10)); return { ok: true } }";

interface BurstResult {
  statuses: Record<string, number>;
  latencyMs: Summary;
  /** Answers flagged X-Runlet-Cold-Start: they waited while an instance started (not necessarily their own). */
  coldStarts: number;
  /** Requests that got neither 200 nor 429 (transport errors included). */
  lost: number;
}

/** Sends `count` requests at the same moment, each on its own connection, and waits for every answer. */
async function burst(url: string, headers: Record<string, string>, count: number): Promise<BurstResult> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: count });
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let coldStarts = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = http.request(url, { method: "POST", headers, agent }, (res) => {
        res.resume();
        res.on("end", () => {
          const key = String(res.statusCode);
          statuses[key] = (statuses[key] ?? 0) + 1;
          if (res.statusCode === 200) latencies.push(performance.now() - started);
          if (res.headers["x-runlet-cold-start"] === "true") coldStarts += 1;
          resolve();
        });
      });
      req.setTimeout(60_000, () => req.destroy(new Error("timeout")));
      req.on("error", (err) => {
        const key = `error: ${err.message}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        resolve();
      });
      req.end("{}");
    });
  await Promise.all(Array.from({ length: count }, one));
  agent.destroy();
  const lost = count - (statuses["200"] ?? 0) - (statuses["429"] ?? 0);
  return { statuses, latencyMs: summarize(latencies), coldStarts, lost };
}

export async function burstBench(): Promise<BenchOutcome> {
  const errors: string[] = [];
  const rows: SummaryRow[] = [];
  const baseline = await startNodeHttp(10);
  let base: BurstResult;
  try {
    await burst(baseline.url, {}, 20); // connections and JIT warm
    base = await burst(baseline.url, {}, REQUESTS);
  } finally {
    await baseline.stop();
  }

  const runlet = await startRunlet();
  let result: BurstResult;
  let warmAfter = Number.NaN;
  let started = Number.NaN;
  try {
    await deployFunction(runlet, "burst", { source: SOURCE, concurrency: 1, maxInstances: MAX_INSTANCES });
    const url = `${runlet.url}${runlet.functionUrl("burst", "/invoke")}`;
    const before = startedCount((await runlet.api("GET", "/metrics")).body);
    result = await burst(url, { ...AUTH_HEADERS, "content-type": "application/json" }, REQUESTS);
    const metrics = await runlet.api("GET", "/metrics");
    started = startedCount(metrics.body) - before;
    warmAfter = [...metrics.body.matchAll(/^runlet_instances\{[^}]*function="burst"[^}]*\} (\d+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  } finally {
    await runlet.stop();
  }

  if (result.lost > 0) {
    errors.push(
      `${result.lost} of ${REQUESTS} requests were lost (neither 200 nor 429): ${JSON.stringify(result.statuses)}`,
    );
  }
  const ok = result.statuses["200"] ?? 0;
  const throttled = result.statuses["429"] ?? 0;
  printTable(
    `burst: ${REQUESTS} concurrent requests, function awaits 10 ms, concurrency 1, maxInstances ${MAX_INSTANCES}`,
    ["target", "200", "429", "lost", "instances started", "answered cold", "p50", "p99", "max"],
    [
      [
        "node:http (baseline)",
        fmtCount(base.statuses["200"] ?? 0),
        "0",
        String(base.lost),
        "-",
        "-",
        fmtMs(base.latencyMs.p50),
        fmtMs(base.latencyMs.p99),
        fmtMs(base.latencyMs.max),
      ],
      [
        "Runlet",
        fmtCount(ok),
        fmtCount(throttled),
        String(result.lost),
        String(started),
        fmtCount(result.coldStarts),
        fmtMs(result.latencyMs.p50),
        fmtMs(result.latencyMs.p99),
        fmtMs(result.latencyMs.max),
      ],
    ],
  );
  rows.push(
    {
      measurement: "requests answered 200 or 429",
      value: `${REQUESTS - result.lost}/${REQUESTS} (${ok} ok, ${throttled} throttled)`,
      target: "all",
      met: result.lost === 0,
    },
    {
      measurement: "instances started",
      value: `${started} (warm after: ${warmAfter})`,
    },
    {
      measurement: "p50 latency of 200s",
      value: fmtMs(result.latencyMs.p50),
      ratio: fmtRatio(result.latencyMs.p50 / base.latencyMs.p50),
    },
    {
      measurement: "p99 latency of 200s",
      value: fmtMs(result.latencyMs.p99),
      ratio: fmtRatio(result.latencyMs.p99 / base.latencyMs.p99),
    },
  );
  return {
    name: "burst",
    rows,
    errors,
    data: {
      requests: REQUESTS,
      maxInstances: MAX_INSTANCES,
      baseline: base,
      runlet: { ...result, warmAfter, instancesStarted: started },
    },
  };
}

await runStandalone(import.meta.url, () =>
  burstBench().catch((err) => ({ name: "burst", rows: [], errors: [errorMessage(err)], data: {} })),
);

/** runlet_instances_started from /metrics text. */
function startedCount(text: string): number {
  return Number(/^runlet_instances_started (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}
