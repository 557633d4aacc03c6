// CPU per request: the server's CPU time (all its threads, and its main thread alone, from /proc) for a
// fixed number of warm sync requests (BENCH_CPU_REQUESTS, 10,000; autocannon, 32 connections), in
// alternating rounds (BENCH_CPU_ROUNDS, 5) over bare node:http and the gateway (concurrency 32, and the
// default), so every target sees the same machine. CPU per request moves far less with other load than
// req/s does; the minimum over the rounds is the figure least inflated by it. BENCH_COMPARE_MAIN=<another
// build's dist/main.js> adds that build's gateway cases (a before/after in one run).
import { readdirSync, readFileSync } from "node:fs";
import autocannon from "autocannon";
import { fmtCount, fmtRatio, printTable } from "./lib/format.js";
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { AUTH_HEADERS, deployFunction, startRunlet } from "./lib/runlet.js";
import { runStandalone } from "./lib/standalone.js";
import { startNodeHttp } from "./lib/targets.js";

const REQUESTS = Math.max(1000, Number(process.env.BENCH_CPU_REQUESTS ?? 10_000));
const ROUNDS = Math.max(1, Number(process.env.BENCH_CPU_ROUNDS ?? 5));
const HEADERS = { ...AUTH_HEADERS, "content-type": "application/json" };
const SOURCE = 'export default async function () { return { hello: "world" } }';
const TICK_MS = 10; // USER_HZ 100

/** CPU ticks of a process: [all threads, main thread]. */
function ticks(pid: number): [number, number] {
  let all = 0;
  let main = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const t = Number(fields[11]) + Number(fields[12]);
      all += t;
      if (tid === String(pid)) main = t;
    } catch {
      // the thread ended meanwhile
    }
  }
  return [all, main];
}

interface Target {
  label: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
  all: number[];
  main: number[];
}

async function gateway(label: string, config: Record<string, unknown>, main?: string): Promise<Target> {
  const runlet = await startRunlet(main ? { main } : {});
  await deployFunction(runlet, "bench-hello", { source: SOURCE, maxInstances: 2, ...config });
  return {
    label,
    url: `${runlet.url}${runlet.functionUrl("bench-hello", "/invoke")}`,
    pid: runlet.child.proc.pid!,
    stop: () => runlet.stop(),
    all: [],
    main: [],
  };
}

async function load(url: string, amount: number): Promise<number> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: HEADERS,
    body: "{}",
    connections: 32,
    amount,
  });
  return result["2xx"];
}

export async function cpuPerRequest(): Promise<BenchOutcome> {
  console.log(
    `\n== CPU per request: ${ROUNDS} alternating rounds of ${fmtCount(REQUESTS)} warm sync requests each`,
  );
  const compare = process.env.BENCH_COMPARE_MAIN;
  const targets: Target[] = [];
  const errors: string[] = [];
  try {
    const node = await startNodeHttp();
    targets.push({
      label: "node:http",
      url: node.url,
      pid: node.child.proc.pid!,
      stop: () => node.stop(),
      all: [],
      main: [],
    });
    if (compare) {
      targets.push(await gateway("gateway c32 (compared build)", { concurrency: 32 }, compare));
      targets.push(await gateway("gateway default (compared build)", {}, compare));
    }
    targets.push(await gateway("gateway, concurrency 32", { concurrency: 32 }));
    targets.push(await gateway("gateway, default concurrency", {}));
    for (const t of targets) await load(t.url, 2000);
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        const [all0, main0] = ticks(t.pid);
        const ok = await load(t.url, REQUESTS);
        const [all1, main1] = ticks(t.pid);
        if (ok < REQUESTS) errors.push(`${t.label}: ${REQUESTS - ok} requests did not answer 2xx`);
        t.all.push((((all1 - all0) * TICK_MS) / ok) * 10_000);
        t.main.push((((main1 - main0) * TICK_MS) / ok) * 10_000);
      }
    }
  } catch (err) {
    errors.push(errorMessage(err));
  } finally {
    for (const t of targets) await t.stop();
  }
  const min = (v: number[]) => Math.min(...v);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? Number.NaN;
  const baseline = targets[0] && targets[0].all.length ? min(targets[0].all) : Number.NaN;
  const ms = (n: number) => `${fmtCount(Math.round(n))} ms`;
  printTable(
    "CPU per 10k warm sync requests (process: all threads; main: the event loop's thread; ratio: node:http's CPU / the target's, i.e. requests per CPU-second against node:http)",
    ["target", "process min", "process median", "main min", "main median", "ratio"],
    targets.map((t) => [
      t.label,
      ms(min(t.all)),
      ms(median(t.all)),
      ms(min(t.main)),
      ms(median(t.main)),
      fmtRatio(baseline / min(t.all)),
    ]),
  );
  const rows: SummaryRow[] = targets.slice(1).map((t) => ({
    measurement: `${t.label}: CPU per 10k requests (process, min of ${ROUNDS})`,
    value: ms(min(t.all)),
    ratio: fmtRatio(baseline / min(t.all)),
  }));
  const data = Object.fromEntries(targets.map((t) => [t.label, { process: t.all, main: t.main }]));
  return { name: "cpu per request", rows, errors, data: { requests: REQUESTS, rounds: ROUNDS, ...data } };
}

await runStandalone(import.meta.url, cpuPerRequest);
