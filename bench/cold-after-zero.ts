// Cold start after scale to zero: BENCH_ZERO_FUNCTIONS (100) distinct functions deployed with a short
// idleTimeoutMs (500 ms) and no prewarm (minInstances 0); once the pool gauges say no instance is left, each
// function is invoked once (the cold one: its instance starts for this request), then once more (warm, the
// baseline measured in the same run). One request at a time, so each latency is the platform's alone.
// Targets: cold p50 ≤ 5 ms, p99 ≤ 15 ms.
import { fmtCount, fmtMs, fmtRatio, printTable } from "./lib/format.js";
import { deployFleet, FLEET_ENV, poolGauges } from "./lib/fleet.js";
import { request } from "./lib/http.js";
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { AUTH_HEADERS, startRunlet, type Runlet } from "./lib/runlet.js";
import { runStandalone } from "./lib/standalone.js";
import { summarize } from "./lib/stats.js";

const FUNCTIONS = Math.max(1, Number(process.env.BENCH_ZERO_FUNCTIONS ?? 100));
const IDLE_TIMEOUT_MS = 500;
const P50_TARGET_MS = 5;
const P99_TARGET_MS = 15;
const HEADERS = { ...AUTH_HEADERS, "content-type": "application/json" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function invokeTimed(runlet: Runlet, i: number): Promise<{ ms: number; cold: boolean }> {
  const url = `${runlet.url}${runlet.functionUrl(`fn-${i}`, "/invoke")}`;
  const started = performance.now();
  const res = await request(url, { method: "POST", headers: HEADERS, body: JSON.stringify({ i }) });
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`fn-${i} answered ${res.status}: ${res.body.slice(0, 300)}`);
  return { ms, cold: res.headers["x-runlet-cold-start"] === "true" };
}

async function waitForZero(runlet: Runlet): Promise<number> {
  const started = performance.now();
  const deadline = Date.now() + 60_000;
  while ((await poolGauges(runlet)).warm > 0) {
    if (Date.now() > deadline) throw new Error("instances did not idle out within 60 s");
    await sleep(100);
  }
  return performance.now() - started;
}

export async function coldAfterZero(): Promise<BenchOutcome> {
  console.log(
    `\n== cold start after scale to zero: ${FUNCTIONS} functions, idleTimeoutMs ${IDLE_TIMEOUT_MS}, no prewarm`,
  );
  const runlet = await startRunlet({ env: FLEET_ENV });
  const cold: number[] = [];
  const warm: number[] = [];
  let flaggedCold = 0;
  let zeroMs: number;
  try {
    await deployFleet(runlet, FUNCTIONS, 8, { idleTimeoutMs: IDLE_TIMEOUT_MS, minInstances: 0 });
    zeroMs = await waitForZero(runlet);
    for (let i = 0; i < FUNCTIONS; i++) {
      const first = await invokeTimed(runlet, i);
      const second = await invokeTimed(runlet, i);
      cold.push(first.ms);
      warm.push(second.ms);
      if (first.cold) flaggedCold += 1;
    }
  } finally {
    await runlet.stop();
  }
  const c = summarize(cold);
  const w = summarize(warm);
  printTable(
    `cold start after scale to zero (pool empty after ${fmtMs(zeroMs)}; ${fmtCount(flaggedCold)}/${fmtCount(FUNCTIONS)} first invocations flagged X-Runlet-Cold-Start: true)`,
    ["invocation", "p50", "p90", "p99", "max", "p50 ratio to warm"],
    [
      [
        "first after zero (cold)",
        fmtMs(c.p50),
        fmtMs(c.p90),
        fmtMs(c.p99),
        fmtMs(c.max),
        fmtRatio(c.p50 / w.p50),
      ],
      ["second (warm, the baseline)", fmtMs(w.p50), fmtMs(w.p90), fmtMs(w.p99), fmtMs(w.max), fmtRatio(1)],
    ],
  );
  const rows: SummaryRow[] = [
    {
      measurement: "first invocation after scale to zero: p50",
      value: fmtMs(c.p50),
      ratio: fmtRatio(c.p50 / w.p50),
      target: `≤ ${P50_TARGET_MS} ms`,
      met: c.p50 <= P50_TARGET_MS,
    },
    {
      measurement: "first invocation after scale to zero: p99",
      value: fmtMs(c.p99),
      ratio: fmtRatio(c.p99 / w.p99),
      target: `≤ ${P99_TARGET_MS} ms`,
      met: c.p99 <= P99_TARGET_MS,
    },
    {
      measurement: "warm invocation of the same functions (baseline): p50 / p99",
      value: `${fmtMs(w.p50)} / ${fmtMs(w.p99)}`,
      ratio: fmtRatio(1),
    },
  ];
  const errors =
    flaggedCold < FUNCTIONS ? [`${FUNCTIONS - flaggedCold} first invocations were not cold`] : [];
  return {
    name: "cold after zero",
    rows,
    errors,
    data: { functions: FUNCTIONS, zeroMs, cold: c, warm: w, flaggedCold },
  };
}

await runStandalone(import.meta.url, () =>
  coldAfterZero().catch((err) => ({
    name: "cold after zero",
    rows: [],
    errors: [errorMessage(err)],
    data: {},
  })),
);
