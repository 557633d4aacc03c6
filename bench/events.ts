// Events: what the event path costs next to a plain invoke, in the same run on one platform. A sync publish
// (`POST …/events/{type}?sync=true`) to one subscriber against a sync invoke of that same function (the
// ratio is the cost of reading the event and finding the subscribers), and a sync publish to FANOUT
// subscribers, counted as subscriber invocations per second against the plain invoke's.
import { fmtMs, fmtRate, printTable } from "./lib/format.js";
import { runLoad, type LoadResult } from "./lib/loadgen.js";
import { errorMessage, type BenchOutcome } from "./lib/report.js";
import { ACCOUNT, AUTH_HEADERS, deployFunction, startRunlet, type Runlet } from "./lib/runlet.js";
import { loadSeconds, warmupSeconds } from "./lib/settings.js";
import { runStandalone } from "./lib/standalone.js";

const FANOUT = Number(process.env.BENCH_EVENTS_FANOUT ?? 5);
const SOURCE = "export default async function (event) { return { ok: true, n: event.payload.n } }";

function load(runlet: Runlet, route: string): Promise<LoadResult> {
  return runLoad(
    {
      url: `${runlet.url}${route}`,
      method: "POST",
      headers: { ...AUTH_HEADERS, "content-type": "application/json" },
      body: '{"n":1}',
      connections: 32,
      pipelining: 1,
      durationSeconds: loadSeconds(),
      warmupSeconds: warmupSeconds(),
    },
    runlet.child.proc.pid,
  );
}

export async function eventsBench(): Promise<BenchOutcome> {
  // Off: the per-key rate limit (1000/s by default) would cap both paths alike and hide the difference.
  const runlet = await startRunlet({ env: { RUNLET_RATE_LIMIT_PER_SECOND: "0" } });
  try {
    const config = { source: SOURCE, concurrency: 32 };
    await deployFunction(runlet, "single", { ...config, events: ["bench.single"] });
    for (let i = 0; i < FANOUT; i++) {
      await deployFunction(runlet, `fan-${i}`, { ...config, events: ["bench.fanout"] });
    }
    const invoke = await load(runlet, runlet.functionUrl("single", "/invoke"));
    const single = await load(runlet, `/v1/accounts/${ACCOUNT}/events/bench.single?sync=true`);
    const fanout = await load(runlet, `/v1/accounts/${ACCOUNT}/events/bench.fanout?sync=true`);
    const rows = [
      ["sync invoke", fmtRate(invoke.okPerSecond), fmtMs(invoke.latencyMs.p50), fmtMs(invoke.latencyMs.p99)],
      [
        "sync publish, 1 subscriber",
        fmtRate(single.okPerSecond),
        fmtMs(single.latencyMs.p50),
        fmtMs(single.latencyMs.p99),
      ],
      [
        `sync publish, ${FANOUT} subscribers`,
        fmtRate(fanout.okPerSecond),
        fmtMs(fanout.latencyMs.p50),
        fmtMs(fanout.latencyMs.p99),
      ],
    ];
    printTable("events: sync publish against a plain sync invoke", ["path", "req/s", "p50", "p99"], rows);
    const errors = [invoke, single, fanout].map((r) => r.non2xx + r.errors).reduce((a, b) => a + b, 0);
    return {
      name: "events",
      rows: [
        { measurement: "sync invoke (baseline)", value: fmtRate(invoke.okPerSecond) },
        {
          measurement: "sync publish, 1 subscriber",
          value: fmtRate(single.okPerSecond),
          ratio: `${(single.okPerSecond / invoke.okPerSecond).toFixed(3)}× invoke`,
        },
        {
          measurement: `sync publish, ${FANOUT} subscribers (invocations/s)`,
          value: fmtRate(fanout.okPerSecond * FANOUT),
          ratio: `${((fanout.okPerSecond * FANOUT) / invoke.okPerSecond).toFixed(3)}× invoke`,
        },
      ],
      errors: errors > 0 ? [`${errors} requests failed`] : [],
      data: { invoke, single, fanout, fanoutSubscribers: FANOUT },
    };
  } finally {
    await runlet.stop();
  }
}

await runStandalone(import.meta.url, () =>
  eventsBench().catch((err) => ({ name: "events", rows: [], errors: [errorMessage(err)], data: {} })),
);
