// `npm run bench`: every benchmark in sequence on 127.0.0.1, then one summary table. Each load phase lasts
// BENCH_SECONDS (default 8); the default run takes about two to three minutes. Arguments pick benchmarks by
// name (`npm run bench -- cold startup`). BENCH_JSON=<file> also writes the raw numbers as JSON.
import { asyncThroughput } from "./async.js";
import { clusterBench } from "./cluster.js";
import { burstBench } from "./burst.js";
import { coldAfterZero } from "./cold-after-zero.js";
import { coldStart } from "./cold-start.js";
import { isolateBench } from "./isolate.js";
import { cores } from "./cores.js";
import { cpuPerRequest } from "./cpu-per-request.js";
import { eventsBench } from "./events.js";
import { density } from "./density.js";
import { runAll } from "./lib/standalone.js";
import { meteringOverhead } from "./metering-overhead.js";
import { scaleToZero } from "./scale-to-zero.js";
import { startup } from "./startup.js";
import { warmThroughput } from "./warm-throughput.js";
import { warmWrk } from "./warm-wrk.js";

const BENCHMARKS = [
  { name: "warm throughput", key: "warm-throughput", run: warmThroughput },
  { name: "warm wrk", key: "warm-wrk", run: warmWrk },
  { name: "cpu per request", key: "cpu-per-request", run: cpuPerRequest },
  { name: "cold start", key: "cold-start", run: coldStart },
  { name: "cold after zero", key: "cold-after-zero", run: coldAfterZero },
  { name: "startup", key: "startup", run: startup },
  { name: "isolate", key: "isolate", run: isolateBench },
  { name: "burst", key: "burst", run: burstBench },
  { name: "density", key: "density", run: density },
  { name: "async", key: "async", run: asyncThroughput },
  { name: "events", key: "events", run: eventsBench },
  { name: "scale to zero", key: "scale-to-zero", run: scaleToZero },
  { name: "metering overhead", key: "metering-overhead", run: meteringOverhead },
  { name: "cores", key: "cores", run: cores },
  { name: "cluster", key: "cluster", run: clusterBench },
];

const filters = process.argv.slice(2);
const selected = BENCHMARKS.filter((b) => filters.length === 0 || filters.some((f) => b.key.includes(f)));
if (selected.length === 0) {
  console.error(
    `no benchmark matches ${filters.join(" ")}; choose from ${BENCHMARKS.map((b) => b.key).join(", ")}`,
  );
  process.exit(2);
}
await runAll(selected);
