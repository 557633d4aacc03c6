// The load generator, run as its own process so it never shares an event loop with a server under test:
//   node --import tsx bench/load.ts '<json LoadSpec>'
// Runs an unmeasured warm-up phase, then the measured phase with autocannon, and prints one JSON line
// (a LoadResult) on stdout, after the lines "measuring" and "measured" that bracket the measured phase
// (the parent samples CPU use at those moments). Latencies are recorded per response with sub-millisecond precision (autocannon's
// own histogram has 1 ms resolution); only 2xx responses count towards latency and throughput.
import autocannon, { type Options } from "autocannon";
import { summarize } from "./lib/stats.js";
import type { LoadResult, LoadSpec } from "./lib/loadgen.js";

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
const base: Options = {
  url: spec.url,
  connections: spec.connections,
  pipelining: spec.pipelining,
  method: spec.method,
  headers: spec.headers,
  body: spec.body,
  timeout: 10,
};

if (spec.warmupSeconds > 0) await autocannon({ ...base, duration: spec.warmupSeconds });

process.stdout.write("measuring\n");
let latencies = new Float64Array(1 << 18);
let count = 0;
const instance = autocannon({ ...base, duration: spec.durationSeconds });
instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  if (statusCode < 200 || statusCode > 299) return;
  if (count === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[count++] = responseTime;
});
const result = await instance;
process.stdout.write("measured\n");
const durationSeconds = result.duration > 0 ? result.duration : spec.durationSeconds;
const out: Omit<LoadResult, "cpu"> = {
  durationSeconds,
  ok: result["2xx"],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  okPerSecond: result["2xx"] / durationSeconds,
  latencyMs: summarize(latencies.subarray(0, count)),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
