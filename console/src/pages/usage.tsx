import { useEffect, useRef, useState } from "preact/hooks";
import type { Client } from "../api.js";
import { ErrorBox, Section, useLoad } from "../ui.js";

/** A row of GET …/usage; `day` and `function` are there when grouped by them. */
interface UsageRow {
  key: string;
  day?: string;
  function?: string;
  invocations: number;
  errors: number;
  billedMs: number;
  gbSeconds: number;
  cost: number;
}
interface UsageAnswer {
  from: string;
  to: string;
  total: UsageRow;
  groupBy?: GroupBy;
  groups?: UsageRow[];
}

type GroupBy = "day,function" | "function" | "day";
const GROUPINGS: { value: GroupBy; label: string }[] = [
  { value: "day,function", label: "day and function" },
  { value: "function", label: "function" },
  { value: "day", label: "day" },
];
const COLORS = ["#2f62d9", "#2e9d5b", "#d64545", "#d69a2d", "#8e44ad", "#16a2b8", "#7f8c8d", "#c2185b"];
const DAY = 86_400_000;

/** The server rounds costs to a millionth of the currency unit: show all of it. */
const money = (v: number) => `$${v.toFixed(6)}`;

/** Cost per UTC day, one line per function (the rows grouped by day and function). */
function CostChart({ rows, from, to }: { rows: UsageRow[]; from: string; to: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    let destroy: (() => void) | undefined;
    let gone = false;
    void import("../chart.js").then(({ drawChart }) => {
      if (gone || !host.current) return;
      host.current.textContent = "";
      const first = Math.floor(Date.parse(from) / DAY);
      const days = Array.from({ length: Math.ceil(Date.parse(to) / DAY) - first }, (_, i) => first + i);
      const names = [...new Set(rows.map((r) => r.function ?? ""))].sort();
      const series = names.map((name, i) => {
        const cost = new Map(
          rows
            .filter((r) => r.function === name)
            .map((r) => [Date.parse(`${r.day}T00:00:00Z`) / DAY, r.cost]),
        );
        return { label: name, color: COLORS[i % COLORS.length]!, values: days.map((d) => cost.get(d) ?? 0) };
      });
      const width = Math.min(host.current.clientWidth || 800, 1100);
      destroy = drawChart(
        host.current,
        days.map((d) => (d * DAY) / 1000),
        series,
        width,
        "cost",
      );
    });
    return () => {
      gone = true;
      destroy?.();
    };
  }, [rows, from, to]);
  return (
    <div class="chart-box">
      <h3>Cost per day by function</h3>
      <div ref={host} class="chart" aria-hidden="true" />
    </div>
  );
}

/** The account's usage and cost over the last 30 days: a chart per day and function, and a table. */
export function UsagePanel({ api }: { api: Client }) {
  const [by, setBy] = useState<GroupBy>("day,function");
  const usage = useLoad(() => api.get<UsageAnswer>(`/usage?groupBy=${by}`), [by]);
  // The chart is always per day and function, whatever the table is grouped by.
  const perDay = useLoad(() => api.get<UsageAnswer>("/usage?groupBy=day,function"), []);
  const u = usage.data;
  // The columns of the rows on screen (until the next grouping's rows come, the previous ones stay).
  const shown = u?.groupBy ?? by;
  const heads = shown === "day,function" ? ["Day", "Function"] : shown === "day" ? ["Day"] : ["Function"];
  return (
    <Section
      title="Usage (last 30 days)"
      actions={
        <label>
          Group by{" "}
          <select value={by} onChange={(e) => setBy(e.currentTarget.value as GroupBy)}>
            {GROUPINGS.map((g) => (
              <option key={g.value} value={g.value}>
                {g.label}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <ErrorBox error={usage.error ?? perDay.error} />
      {perDay.data ? (
        <CostChart rows={perDay.data.groups ?? []} from={perDay.data.from} to={perDay.data.to} />
      ) : null}
      {u ? (
        <div class="scroll">
          <table aria-label="Usage">
            <thead>
              <tr>
                {heads.map((h) => (
                  <th key={h}>{h}</th>
                ))}
                <th>Invocations</th>
                <th>Errors</th>
                <th>Billed</th>
                <th>GB-s</th>
                <th>Cost</th>
              </tr>
            </thead>
            <tbody>
              {[...(u.groups ?? []), u.total].map((r) => (
                <tr key={r === u.total ? " total" : r.key} class={r === u.total ? "total" : ""}>
                  {r === u.total ? (
                    <td colSpan={heads.length}>total</td>
                  ) : (
                    <>
                      {shown !== "function" ? <td>{r.day}</td> : null}
                      {shown !== "day" ? <td>{r.function}</td> : null}
                    </>
                  )}
                  <td class="num">{r.invocations}</td>
                  <td class="num">{r.errors}</td>
                  <td class="num">{r.billedMs} ms</td>
                  <td class="num">{r.gbSeconds.toFixed(4)}</td>
                  <td class="num">{money(r.cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}
