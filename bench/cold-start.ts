// Cold start: deploy N distinct functions (cold-0 … cold-199) one after another on a fresh platform, and for
// each measure (a) the `PUT …?deploy=true` call and (b) the time from that call returning to the response of
// the function's first invocation, and whether that invocation says `X-Runlet-Cold-Start: true`.
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { fmtCount, fmtMs, fmtPercent, printTable } from "./lib/format.js";
import { request } from "./lib/http.js";
import { AUTH_HEADERS, startRunlet } from "./lib/runlet.js";
import { coldFunctions } from "./lib/settings.js";
import { summarize, type Summary } from "./lib/stats.js";
import { runStandalone } from "./lib/standalone.js";

const P50_TARGET_MS = 5;
const P99_TARGET_MS = 20;
const DEPLOY_TO_ANSWER_TARGET_MS = 1000; // DESIGN §4: deploy to first successful invocation under a second

const JSON_HEADERS: Record<string, string> = { ...AUTH_HEADERS, "content-type": "application/json" };

export async function coldStart(): Promise<BenchOutcome> {
  const count = coldFunctions();
  console.log(`\n== cold start: ${count} distinct functions, each deployed then invoked once`);
  const deployMs: number[] = [];
  const firstAnswerMs: number[] = [];
  const totalMs: number[] = [];
  let coldHeaders = 0;
  const headerValues = new Map<string, number>();
  let answered = 0;
  const failures: string[] = [];
  let rssMiB = Number.NaN;

  const runlet = await startRunlet();
  try {
    for (let i = 0; i < count; i++) {
      const name = `cold-${i}`;
      const putUrl = `${runlet.url}${runlet.functionUrl(name, "?deploy=true")}`;
      const invokeUrl = `${runlet.url}${runlet.functionUrl(name, "/invoke")}`;
      const putBody = JSON.stringify({ source: `export default async function () { return { n: ${i} } }` });
      try {
        const t0 = performance.now();
        const put = await request(putUrl, { method: "PUT", headers: JSON_HEADERS, body: putBody });
        const t1 = performance.now();
        if (put.status < 200 || put.status > 299) throw new Error(`PUT answered ${put.status}: ${put.body}`);
        const invoked = await request(invokeUrl, { method: "POST", headers: JSON_HEADERS, body: "{}" });
        const t2 = performance.now();
        deployMs.push(t1 - t0);
        firstAnswerMs.push(t2 - t1);
        totalMs.push(t2 - t0);
        const header = invoked.headers["x-runlet-cold-start"];
        const headerText = header === undefined ? "(absent)" : String(header);
        headerValues.set(headerText, (headerValues.get(headerText) ?? 0) + 1);
        if (headerText === "true") coldHeaders++;
        if (invoked.status !== 200) throw new Error(`invoke answered ${invoked.status}: ${invoked.body}`);
        if (invoked.body.replace(/\s/g, "") !== `{"n":${i}}`) {
          throw new Error(`invoke answered ${invoked.body.slice(0, 200)}, expected {"n":${i}}`);
        }
        answered++;
      } catch (err) {
        failures.push(`${name}: ${errorMessage(err).slice(0, 300)}`);
        if (failures.length >= 10 && answered === 0) throw new Error(`giving up:\n${failures.join("\n")}`);
      }
    }
    rssMiB = await runlet.rssMiB();
  } finally {
    await runlet.stop();
  }

  const deploy = summarize(deployMs);
  const first = summarize(firstAnswerMs);
  const total = summarize(totalMs);
  const measured = firstAnswerMs.length;
  const coldShare = measured ? coldHeaders / measured : Number.NaN;
  const row = (label: string, s: Summary): string[] => [
    label,
    fmtMs(s.min),
    fmtMs(s.p50),
    fmtMs(s.p90),
    fmtMs(s.p99),
    fmtMs(s.max),
  ];
  printTable(
    `cold start (${fmtCount(measured)} functions; ${fmtPercent(coldShare)} of first invocations with X-Runlet-Cold-Start: true; ` +
      `${fmtCount(count - answered)} failed; platform RSS afterwards ${Number.isFinite(rssMiB) ? `${rssMiB.toFixed(0)} MiB` : "–"})`,
    ["measurement", "min", "p50", "p90", "p99", "max"],
    [
      row("(a) PUT ?deploy=true", deploy),
      row("(b) PUT returned → first invoke answered", first),
      row("(a) + (b) PUT sent → first invoke answered", total),
    ],
  );
  const values = [...headerValues].map(([value, n]) => `${value}: ${n}`).join(", ");
  console.log(`   X-Runlet-Cold-Start values on the first invocations: ${values || "none"}`);
  for (const failure of failures.slice(0, 5)) console.log(`   failed: ${failure}`);

  const rows: SummaryRow[] = [
    { measurement: "(a) PUT ?deploy=true: p50 / p99", value: `${fmtMs(deploy.p50)} / ${fmtMs(deploy.p99)}` },
    {
      measurement: "(b) deploy returned → first answer: p50",
      value: fmtMs(first.p50),
      target: `≤ ${P50_TARGET_MS} ms`,
      met: measured > 0 ? first.p50 <= P50_TARGET_MS : undefined,
    },
    {
      measurement: "(b) deploy returned → first answer: p99",
      value: fmtMs(first.p99),
      target: `≤ ${P99_TARGET_MS} ms`,
      met: measured > 0 ? first.p99 <= P99_TARGET_MS : undefined,
    },
    {
      measurement: "(a) + (b) PUT sent → first answer: max",
      value: fmtMs(total.max),
      target: `≤ ${DEPLOY_TO_ANSWER_TARGET_MS / 1000} s`,
      met: measured > 0 ? total.max <= DEPLOY_TO_ANSWER_TARGET_MS : undefined,
    },
    {
      measurement: "first invocations with X-Runlet-Cold-Start: true",
      value: `${fmtPercent(coldShare)} (${coldHeaders}/${measured})`,
    },
  ];
  return {
    name: "cold start",
    rows,
    errors: failures.length ? [`${failures.length} of ${count} functions failed; first: ${failures[0]}`] : [],
    data: {
      count,
      answered,
      coldHeaders,
      coldStartHeaderValues: Object.fromEntries(headerValues),
      coldShare,
      rssMiB,
      deployMs: deploy,
      firstAnswerMs: first,
      totalMs: total,
    },
  };
}

await runStandalone(import.meta.url, coldStart);
