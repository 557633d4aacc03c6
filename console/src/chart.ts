// Time series charts: uPlot (small, fast canvas charts). Loaded on demand.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  color: string;
  /** null: nothing to plot there (a bucket with no runs has no p50). */
  values: (number | null)[];
}

/** Draws `series` over `times` (seconds) into `parent`; returns what removes the chart. */
export function drawChart(
  parent: HTMLElement,
  times: number[],
  series: Series[],
  width: number,
  yLabel = "invocations",
): () => void {
  const axis = { stroke: "currentColor", grid: { stroke: "rgba(128,128,128,0.2)" } };
  const plot = new uPlot(
    {
      width,
      height: 220,
      scales: { x: { time: true } },
      axes: [axis, { ...axis, label: yLabel }],
      series: [
        {},
        ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false } })),
      ],
    },
    [times, ...series.map((s) => s.values)],
    parent,
  );
  return () => plot.destroy();
}
