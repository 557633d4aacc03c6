// Warm throughput: the same trivial function ({"hello":"world"}) behind a bare node:http server (the baseline),
// the Runlet gateway (per-instance concurrency 32, and the default concurrency) and a Cloudflare workerd
// worker, each loaded by autocannon (32 connections, no pipelining) from a separate process. The baseline
// runs first and last; the ratios are against the mean of the two, and the drift between them shows how
// noisy the machine was.
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { fmtCores, fmtCount, fmtMs, fmtPercent, fmtRate, fmtRatio, printTable } from "./lib/format.js";
import type { Child } from "./lib/children.js";
import { request } from "./lib/http.js";
import { runLoad, type LoadResult } from "./lib/loadgen.js";
import { AUTH_HEADERS, deployFunction, startRunlet } from "./lib/runlet.js";
import { loadSeconds, warmupSeconds } from "./lib/settings.js";
import { startNodeHttp, startWorkerd, type Target } from "./lib/targets.js";
import { runStandalone } from "./lib/standalone.js";

const GATEWAY_RATIO_TARGET = 0.6;
const GATEWAY_P99_TARGET_MS = 2;
const GATEWAY_EFFICIENCY_TARGET = 0.5;
const HELLO_SOURCE = 'export default async function () { return { hello: "world" } }';

/** Every target gets the same request; the bare servers ignore what they don't need. */
const HEADERS: Record<string, string> = { ...AUTH_HEADERS, "content-type": "application/json" };
const BODY = "{}";

interface Started {
  url: string;
  pid: number | undefined;
  /** A description of how the target's process ended, if it has. */
  died(): Promise<string | undefined>;
  stop(): Promise<void>;
}

async function describeDeath(child: Child): Promise<string | undefined> {
  if (!child.hasExited()) return undefined;
  return `exit ${String(await child.exited)}\n${child.outputTail()}`;
}

interface Case {
  key: string;
  label: string;
  baseline?: boolean;
  gateway?: boolean;
  start(): Promise<Started>;
}

async function startGateway(name: string, config: Record<string, unknown>): Promise<Started> {
  const runlet = await startRunlet();
  try {
    await deployFunction(runlet, name, { source: HELLO_SOURCE, ...config });
    return {
      url: `${runlet.url}${runlet.functionUrl(name, "/invoke")}`,
      pid: runlet.child.proc.pid,
      died: () => describeDeath(runlet.child),
      stop: () => runlet.stop(),
    };
  } catch (err) {
    await runlet.stop();
    throw err;
  }
}

async function startTarget(start: () => Promise<Target>): Promise<Started> {
  const target = await start();
  return {
    url: target.url,
    pid: target.child.proc.pid,
    died: () => describeDeath(target.child),
    stop: () => target.stop(),
  };
}

const CASES: Case[] = [
  {
    key: "node-http-first",
    label: "node:http (first)",
    baseline: true,
    start: () => startTarget(startNodeHttp),
  },
  {
    key: "gateway-c32",
    label: "Runlet gateway, concurrency 32",
    gateway: true,
    start: () => startGateway("bench-hello", { concurrency: 32, maxInstances: 2 }),
  },
  {
    key: "gateway-default",
    label: "Runlet gateway, default concurrency",
    gateway: true,
    start: () => startGateway("bench-hello", { maxInstances: 2 }),
  },
  { key: "workerd", label: "workerd", start: () => startTarget(startWorkerd) },
  {
    key: "node-http-last",
    label: "node:http (last)",
    baseline: true,
    start: () => startTarget(startNodeHttp),
  },
];

/** One request before the load: the target must answer 200 with exactly {"hello":"world"}. */
async function checkAnswer(url: string): Promise<void> {
  const res = await request(url, { method: "POST", headers: HEADERS, body: BODY });
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  if (res.status !== 200 || JSON.stringify(parsed) !== '{"hello":"world"}') {
    throw new Error(
      `expected 200 {"hello":"world"} from ${url}, got ${res.status} ${res.body.slice(0, 300)}`,
    );
  }
}

export async function warmThroughput(): Promise<BenchOutcome> {
  const seconds = loadSeconds();
  const warmup = warmupSeconds();
  console.log(
    `\n== warm throughput: autocannon, 32 connections, pipelining 1, ${warmup} s warm-up + ${seconds} s per target`,
  );
  const results = new Map<string, LoadResult>();
  const errors: string[] = [];
  for (const c of CASES) {
    process.stdout.write(`   ${c.label} … `);
    let target: Started | undefined;
    try {
      target = await c.start();
      await checkAnswer(target.url);
      const result = await runLoad(
        {
          url: target.url,
          method: "POST",
          headers: HEADERS,
          body: BODY,
          connections: 32,
          pipelining: 1,
          durationSeconds: seconds,
          warmupSeconds: warmup,
        },
        target.pid,
      );
      const died = await target.died();
      if (died) throw new Error(`the target died under load: ${died}`);
      results.set(c.key, result);
      console.log(`${fmtRate(result.okPerSecond)}, p99 ${fmtMs(result.latencyMs.p99)}`);
    } catch (err) {
      console.log("failed");
      errors.push(`${c.label}: ${errorMessage(err)}`);
    } finally {
      await target?.stop();
    }
  }

  const baselines = CASES.filter((c) => c.baseline)
    .map((c) => results.get(c.key)?.okPerSecond)
    .filter((v): v is number => v !== undefined && v > 0);
  const baseline = baselines.length ? baselines.reduce((a, b) => a + b, 0) / baselines.length : Number.NaN;
  const drift =
    baselines.length === 2 ? Math.abs(baselines[0]! - baselines[1]!) / Math.max(...baselines) : Number.NaN;

  // Requests per CPU-second the target used: less sensitive to the machine's other load than req/s.
  const perCore = (r: LoadResult): number => r.okPerSecond / (r.cpu?.server ?? Number.NaN);
  const baselinePerCores = CASES.filter((c) => c.baseline)
    .map((c) => results.get(c.key))
    .map((r) => (r ? perCore(r) : Number.NaN))
    .filter((v) => Number.isFinite(v) && v > 0);
  const baselinePerCore = baselinePerCores.reduce((a, b) => a + b, 0) / baselinePerCores.length;

  const tableRows: string[][] = [];
  const summary: SummaryRow[] = [];
  for (const c of CASES) {
    const r = results.get(c.key);
    if (!r) {
      tableRows.push([c.label, "failed", ...Array<string>(12).fill("–")]);
      if (c.gateway) summary.push({ measurement: `${c.label}: req/s`, value: "failed" });
      continue;
    }
    const ratio = r.okPerSecond / baseline;
    tableRows.push([
      c.label,
      fmtRate(r.okPerSecond),
      fmtRatio(ratio),
      fmtMs(r.latencyMs.p50),
      fmtMs(r.latencyMs.p90),
      fmtMs(r.latencyMs.p99),
      fmtMs(r.latencyMs.max),
      fmtCount(r.non2xx),
      fmtCount(r.errors + r.timeouts),
      fmtCores(r.cpu?.server),
      fmtCores(r.cpu?.load),
      fmtCores(r.cpu?.other),
      fmtCount(Math.round(perCore(r))),
      fmtRatio(perCore(r) / baselinePerCore),
    ]);
    if (c.baseline) continue;
    const nonOk = r.non2xx > 0 ? ` (+${fmtCount(r.non2xx)} non-2xx)` : "";
    summary.push({
      measurement: `${c.label}: req/s`,
      value: fmtRate(r.okPerSecond) + nonOk,
      ratio: fmtRatio(ratio),
      ...(c.gateway
        ? { target: `≥ ${GATEWAY_RATIO_TARGET.toFixed(2)}×`, met: ratio >= GATEWAY_RATIO_TARGET }
        : {}),
    });
    const efficiency = perCore(r) / baselinePerCore;
    summary.push({
      measurement: `${c.label}: req per server CPU-second`,
      value: fmtCount(Math.round(perCore(r))),
      ratio: fmtRatio(efficiency),
      ...(c.gateway
        ? {
            target: `≥ ${GATEWAY_EFFICIENCY_TARGET.toFixed(2)}×`,
            met: efficiency >= GATEWAY_EFFICIENCY_TARGET,
          }
        : {}),
    });
    const workerd = results.get("workerd");
    if (c.gateway && workerd) {
      // The other bar: ahead of workerd serving the same function in the same run.
      const vsRate = r.okPerSecond / workerd.okPerSecond;
      const vsCpu = perCore(r) / perCore(workerd);
      summary.push({
        measurement: `${c.label}: against workerd (req/s, req/CPU-s)`,
        value: `${fmtRatio(vsRate)}, ${fmtRatio(vsCpu)}`,
        ratio: fmtRatio(vsRate),
        target: "> 1.00×",
        met: vsRate > 1 && vsCpu > 1,
      });
    }
    summary.push({
      measurement: `${c.label}: p50 / p99`,
      value: `${fmtMs(r.latencyMs.p50)} / ${fmtMs(r.latencyMs.p99)}`,
      ...(c.gateway
        ? { target: `p99 ≤ ${GATEWAY_P99_TARGET_MS} ms`, met: r.latencyMs.p99 <= GATEWAY_P99_TARGET_MS }
        : {}),
    });
  }
  summary.unshift({
    measurement: "node:http baseline (mean of first and last): req/s",
    value: Number.isFinite(baseline) ? `${fmtRate(baseline)} (drift ${fmtPercent(drift)})` : "failed",
    ratio: Number.isFinite(baseline) ? fmtRatio(1) : "–",
  });
  printTable(
    `warm throughput (ratio: 2xx req/s against node:http mean ${fmtRate(baseline)}; first/last drift ${fmtPercent(drift)})`,
    [
      "target",
      "2xx req/s",
      "ratio",
      "p50",
      "p90",
      "p99",
      "max",
      "non-2xx",
      "errors",
      "server",
      "loadgen",
      "other",
      "req/CPU-s",
      "ratio",
    ],
    tableRows,
  );
  console.log(
    "   server / loadgen / other: CPU cores used during the measured phase by the target, autocannon, and every\n" +
      "   other process on the machine (noise); the machine has 2 cores. req/CPU-s: 2xx responses per CPU-second\n" +
      "   the target used, and its ratio to node:http's: an efficiency figure less sensitive to the noise.",
  );
  for (const [key, r] of results) {
    if (r.non2xx > 0) console.log(`   ${key}: status codes ${JSON.stringify(r.statusCodes)}`);
  }
  return {
    name: "warm throughput",
    rows: summary,
    errors,
    data: {
      seconds,
      warmupSeconds: warmup,
      baselineReqPerSec: baseline,
      baselineReqPerCpuSecond: baselinePerCore,
      drift,
      results: Object.fromEntries(results),
    },
  };
}

await runStandalone(import.meta.url, warmThroughput);
