// Warm sync throughput with wrk as the load (one thread, 32 connections): wrk spends far less CPU per
// request than autocannon, so on a small machine more of it is left to the target. Bare node:http (the
// baseline, first and last) and the gateway at concurrency 32, the same function and request as
// warm-throughput.ts. Needs wrk on the PATH (apt-get install wrk); without it the row says so.
// BENCH_COMPARE_MAIN=<another build's dist/main.js> adds that build's gateway (a before/after in one run).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { makeTempDir, removeTempDir } from "./lib/children.js";
import { fmtRate, fmtRatio, printTable } from "./lib/format.js";
import { errorMessage, type BenchOutcome } from "./lib/report.js";
import { ADMIN_KEY, deployFunction, startRunlet } from "./lib/runlet.js";
import { loadSeconds } from "./lib/settings.js";
import { runStandalone } from "./lib/standalone.js";
import { startNodeHttp } from "./lib/targets.js";

const TARGET = 0.6;
const SCRIPT = `wrk.method = "POST"
wrk.body = "{}"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer ${ADMIN_KEY}"
`;

/** Requests per second wrk measured against `url` (non-2xx answers make it fail). */
function wrk(url: string, script: string, seconds: number): number {
  spawnSync("wrk", ["-t1", "-c32", "-d1s", "-s", script, url], { encoding: "utf8" }); // warm-up
  const run = spawnSync("wrk", ["-t1", "-c32", `-d${seconds}s`, "-s", script, url], { encoding: "utf8" });
  if (run.error) throw run.error;
  if (/Non-2xx/.test(run.stdout)) throw new Error(`non-2xx answers from ${url}:\n${run.stdout}`);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1];
  if (!rate) throw new Error(`wrk printed no rate:\n${run.stdout}${run.stderr}`);
  return Number(rate);
}

export async function warmWrk(): Promise<BenchOutcome> {
  if (spawnSync("wrk", ["--version"]).error) {
    return {
      name: "warm wrk",
      rows: [{ measurement: "gateway under wrk", value: "wrk not installed" }],
      errors: [],
      data: {},
    };
  }
  const seconds = loadSeconds();
  console.log(`\n== warm throughput under wrk: 1 thread, 32 connections, ${seconds} s per target`);
  const dir = makeTempDir("wrk");
  const script = path.join(dir, "post.lua");
  writeFileSync(script, SCRIPT);
  const rates: Record<string, number> = {};
  const errors: string[] = [];
  const measure = async (key: string, start: () => Promise<{ url: string; stop(): Promise<void> }>) => {
    const target = await start();
    try {
      rates[key] = wrk(target.url, script, seconds);
      console.log(`   ${key}: ${fmtRate(rates[key])}`);
    } catch (err) {
      errors.push(`${key}: ${errorMessage(err)}`);
    } finally {
      await target.stop();
    }
  };
  try {
    await measure("node:http (first)", startNodeHttp);
    const gatewayAt = (main?: string) => async () => {
      const runlet = await startRunlet(main ? { main } : {});
      await deployFunction(runlet, "bench-hello", {
        source: 'export default async function () { return { hello: "world" } }',
        concurrency: 32,
        maxInstances: 2,
      });
      return {
        url: `${runlet.url}${runlet.functionUrl("bench-hello", "/invoke")}`,
        stop: () => runlet.stop(),
      };
    };
    const compare = process.env.BENCH_COMPARE_MAIN;
    if (compare) await measure("gateway, concurrency 32 (compared build)", gatewayAt(compare));
    await measure("gateway, concurrency 32", gatewayAt());
    await measure("node:http (last)", startNodeHttp);
  } finally {
    removeTempDir(dir);
  }
  const baselines = [rates["node:http (first)"], rates["node:http (last)"]].filter((v): v is number => !!v);
  const baseline = baselines.reduce((a, b) => a + b, 0) / baselines.length;
  const gateway = rates["gateway, concurrency 32"] ?? Number.NaN;
  printTable(
    "warm throughput under wrk (ratio: against the mean of node:http first and last)",
    ["target", "req/s", "ratio"],
    Object.entries(rates).map(([key, rate]) => [key, fmtRate(rate), fmtRatio(rate / baseline)]),
  );
  return {
    name: "warm wrk",
    rows: [
      {
        measurement: "gateway, concurrency 32, under wrk: req/s",
        value: fmtRate(gateway),
        ratio: fmtRatio(gateway / baseline),
        target: `≥ ${TARGET.toFixed(2)}×`,
        met: gateway / baseline >= TARGET,
      },
    ],
    errors,
    data: { seconds, rates },
  };
}

await runStandalone(import.meta.url, warmWrk);
