import { useEffect, useRef, useState } from "preact/hooks";
import { fn, type Client } from "../api.js";
import { ErrorBox, Section, useLoad } from "../ui.js";

type Outcome = "succeeded" | "codeFailure" | "platformFailure" | "timeout" | "rejected";
interface Metrics {
  total: Record<Outcome, number>;
  buckets: ({ start: string } & Record<Outcome, number>)[];
}

const OUTCOMES: { key: Outcome; label: string; color: string }[] = [
  { key: "succeeded", label: "succeeded", color: "#2e9d5b" },
  { key: "codeFailure", label: "code failure", color: "#d64545" },
  { key: "timeout", label: "timeout", color: "#d69a2d" },
  { key: "platformFailure", label: "platform failure", color: "#8e44ad" },
  { key: "rejected", label: "rejected", color: "#7f8c8d" },
];
const RANGES = ["1h", "24h", "7d", "30d"];

export function MetricsPanel(props: { api: Client; name: string; tick: number }) {
  const [range, setRange] = useState("1h");
  const host = useRef<HTMLDivElement>(null);
  const metrics = useLoad(
    () => props.api.get<Metrics>(`${fn(props.name)}/metrics?last=${range}&buckets=30`),
    [props.name, range, props.tick],
  );

  // Records are written a moment after an invocation answers: re-read now and then so the chart catches up.
  const { reload } = metrics;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") reload();
    }, 3000);
    return () => clearInterval(timer);
  }, [reload]);

  useEffect(() => {
    const m = metrics.data;
    if (!m || !host.current) return;
    let destroy: (() => void) | undefined;
    let gone = false;
    void import("../chart.js").then(({ drawChart }) => {
      if (gone || !host.current) return;
      host.current.textContent = "";
      const times = m.buckets.map((b) => Date.parse(b.start) / 1000);
      const series = OUTCOMES.map((o) => ({ ...o, values: m.buckets.map((b) => b[o.key]) }));
      destroy = drawChart(host.current, times, series, Math.min(host.current.clientWidth || 800, 1100));
    });
    return () => {
      gone = true;
      destroy?.();
    };
  }, [metrics.data]);

  const total = metrics.data?.total;
  return (
    <Section
      title="Invocations by outcome"
      actions={
        <div class="buttons" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button key={r} type="button" aria-pressed={r === range} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      }
    >
      <ErrorBox error={metrics.error} />
      {total ? (
        <p aria-label="Totals">
          {OUTCOMES.map((o) => `${total[o.key]} ${o.label}`).join(", ")} in the last {range}
        </p>
      ) : null}
      <div ref={host} class="chart" aria-hidden="true" />
    </Section>
  );
}
