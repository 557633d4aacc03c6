/** Small formatters for human output: tables, times, durations. */
import { plain, statusStyle, type Paint } from "./color.js";

/**
 * Left-aligned columns two spaces apart, an upper-case header row, no trailing spaces. With a painter
 * (a terminal), the header is bold and status words are coloured; widths count the visible text only.
 */
export function table(headers: string[], rows: string[][], paint: Paint = plain): string {
  const all = [headers.map((h) => h.toUpperCase()), ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  return all
    .map((row, r) => {
      const line = row
        .map((cell, i) => {
          const padded = i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
          const style = r === 0 ? undefined : statusStyle(cell);
          return style ? padded.replace(cell, paint(style, cell)) : padded;
        })
        .join("  ")
        .trimEnd();
      return r === 0 ? paint("bold", line) : line;
    })
    .join("\n");
}

/** `label value` lines with the labels padded to one width. */
export function fields(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n");
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** A time as the API sends it: ms since the epoch or an ISO 8601 string. */
export type Time = number | string | null | undefined;

function millis(time: Time): number | undefined {
  const ms = typeof time === "string" ? Date.parse(time) : time;
  return typeof ms === "number" && Number.isFinite(ms) ? ms : undefined;
}

/** Local time, `2025-11-21 09:03:07`, plus `.123` when `withMillis`. */
export function timestamp(time: Time, withMillis = false): string {
  const ms = millis(time);
  if (ms === undefined) return "-";
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  const clock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return `${date} ${clock}${withMillis ? `.${String(d.getMilliseconds()).padStart(3, "0")}` : ""}`;
}

/** `just now`, `5 s ago`, `3 min ago`, `2 h ago`, `4 d ago`. */
export function ago(time: Time, now = Date.now()): string {
  const ms = millis(time);
  if (ms === undefined) return "-";
  const s = Math.round((now - ms) / 1000);
  if (s < 2) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** `142 ms`, `3.4 s`. */
export function duration(ms: number | null | undefined): string {
  if (typeof ms !== "number" || !Number.isFinite(ms)) return "-";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A JSON value as pretty text; strings stay raw so `invoke` of an http function prints its body. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "undefined";
}
