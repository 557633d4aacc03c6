import { useEffect, useRef, useState } from "preact/hooks";
import { client, fn, type Client, type Session } from "../api.js";
import type { Series } from "../chart.js";
import { ErrorBox, Section, ms, pct, useLoad } from "../ui.js";
import { errorRate } from "./functions.js";

/** One bucket of GET …/stats (see docs/design.md). */
interface StatsBucket {
  start: string;
  end: string;
  invocations: number;
  byStatus: Record<string, number>;
  coldStarts: number;
  throttled: number;
  p50Ms: number | null;
  p99Ms: number | null;
}
interface Stats {
  from: string;
  to: string;
  bucket: string;
  total: StatsBucket;
  buckets: StatsBucket[];
}

/** The outcome categories of `runlet metrics` and of the hosted platform, from Runlet's statuses. */
type Outcome = "succeeded" | "codeFailure" | "timeout" | "platformFailure" | "rejected";
const OUTCOMES: { key: Outcome; label: string; color: string; statuses: string[] }[] = [
  { key: "succeeded", label: "succeeded", color: "#2e9d5b", statuses: ["succeeded"] },
  {
    key: "codeFailure",
    label: "code failure",
    color: "#d64545",
    statuses: ["function_error", "resource_exceeded"],
  },
  { key: "timeout", label: "timeout", color: "#d69a2d", statuses: ["timeout"] },
  { key: "platformFailure", label: "platform failure", color: "#8e44ad", statuses: ["platform_error"] },
  { key: "rejected", label: "rejected", color: "#7f8c8d", statuses: ["rejected"] },
];
const outcome = (b: StatsBucket, o: (typeof OUTCOMES)[number]) =>
  o.statuses.reduce((n, s) => n + (b.byStatus[s] ?? 0), 0);

const HOUR = 3_600_000;
/** The range buttons, each with a bucket size that gives a readable number of points. */
const RANGES = [
  { label: "1h", ms: HOUR, bucket: "1m" },
  { label: "24h", ms: 24 * HOUR, bucket: "15m" },
  { label: "7d", ms: 7 * 24 * HOUR, bucket: "1h" },
  { label: "30d", ms: 30 * 24 * HOUR, bucket: "6h" },
];

interface ChartSpec {
  title: string;
  yLabel: string;
  series: { label: string; color: string; value: (b: StatsBucket) => number | null }[];
}
const CHARTS: ChartSpec[] = [
  {
    title: "Invocations by outcome",
    yLabel: "invocations",
    series: OUTCOMES.map((o) => ({ label: o.label, color: o.color, value: (b) => outcome(b, o) })),
  },
  {
    title: "Duration p50 and p99",
    yLabel: "ms",
    series: [
      { label: "p50", color: "#2f62d9", value: (b) => b.p50Ms },
      { label: "p99", color: "#d64545", value: (b) => b.p99Ms },
    ],
  },
  {
    title: "Cold starts and throttled",
    yLabel: "invocations",
    series: [
      { label: "cold starts", color: "#2f62d9", value: (b) => b.coldStarts },
      { label: "throttled", color: "#d69a2d", value: (b) => b.throttled },
    ],
  },
];

/** One uPlot chart of the buckets; the numbers a person reads are in the summary table beside it. */
function Chart({ spec, stats }: { spec: ChartSpec; stats: Stats | undefined }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!stats || !host.current) return;
    let destroy: (() => void) | undefined;
    let gone = false;
    void import("../chart.js").then(({ drawChart }) => {
      if (gone || !host.current) return;
      host.current.textContent = "";
      const times = stats.buckets.map((b) => Date.parse(b.start) / 1000);
      const series: Series[] = spec.series.map((s) => ({ ...s, values: stats.buckets.map(s.value) }));
      const width = Math.min(host.current.clientWidth || 800, 1100);
      destroy = drawChart(host.current, times, series, width, spec.yLabel);
    });
    return () => {
      gone = true;
      destroy?.();
    };
  }, [stats, spec]);
  return (
    <div class="chart-box">
      <h3>{spec.title}</h3>
      <div ref={host} class="chart" aria-hidden="true" />
    </div>
  );
}

/** The stats of one function (`name`) or of the whole account, over the range the buttons choose. */
export function MetricsPanel(props: { api: Client; name?: string; tick: number }) {
  const [range, setRange] = useState(RANGES[0]!);
  const path = props.name === undefined ? "/stats" : `${fn(props.name)}/stats`;
  const metrics = useLoad(() => {
    const to = Date.now();
    return props.api.get<Stats>(`${path}?from=${to - range.ms}&to=${to}&bucket=${range.bucket}`);
  }, [path, range, props.tick]);

  // Invocations made elsewhere show up while the page is open: re-read now and then while it is seen.
  const { reload } = metrics;
  useEffect(() => {
    const timer = setInterval(
      () => {
        if (document.visibilityState === "visible") reload();
      },
      range.ms <= 24 * HOUR ? 3000 : 30_000,
    );
    return () => clearInterval(timer);
  }, [reload, range]);

  const total = metrics.data?.total;
  const failed = total ? errorRate(total.byStatus, total.invocations) : 0;
  return (
    <Section
      title="Metrics"
      actions={
        <div class="buttons" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button key={r.label} type="button" aria-pressed={r === range} onClick={() => setRange(r)}>
              {r.label}
            </button>
          ))}
        </div>
      }
    >
      <ErrorBox error={metrics.error} />
      {total ? (
        <>
          <p aria-label="Totals">
            {OUTCOMES.map((o) => `${outcome(total, o)} ${o.label}`).join(", ")} in the last {range.label}
          </p>
          <table aria-label="Summary" class="summary">
            <tbody>
              <tr>
                <th scope="row">Invocations</th>
                <td class="num">{total.invocations}</td>
              </tr>
              <tr>
                <th scope="row">Error rate</th>
                <td class="num">{pct(failed)}</td>
              </tr>
              <tr>
                <th scope="row">Duration p50</th>
                <td class="num">{ms(total.p50Ms)}</td>
              </tr>
              <tr>
                <th scope="row">Duration p99</th>
                <td class="num">{ms(total.p99Ms)}</td>
              </tr>
              <tr>
                <th scope="row">Cold starts</th>
                <td class="num">{total.coldStarts}</td>
              </tr>
              <tr>
                <th scope="row">Throttled</th>
                <td class="num">{total.throttled}</td>
              </tr>
            </tbody>
          </table>
        </>
      ) : null}
      <div class="charts">
        {CHARTS.map((spec) => (
          <Chart key={spec.title} spec={spec} stats={metrics.data} />
        ))}
      </div>
    </Section>
  );
}

/** The account's metrics: every function's invocations together. */
export function MetricsPage({ session }: { session: Session }) {
  return (
    <>
      <h1>Metrics of account {session.account}</h1>
      <MetricsPanel api={client(session)} tick={0} />
    </>
  );
}
