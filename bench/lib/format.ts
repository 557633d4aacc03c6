// Number formatting and plain-text tables for the benchmark output.

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "–";
  return `${Math.round(perSecond).toLocaleString("en-US")}/s`;
}

export function fmtRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "–";
}

export function fmtPercent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : "–";
}

export function fmtCores(cores: number | undefined): string {
  return cores !== undefined && Number.isFinite(cores) ? cores.toFixed(2) : "–";
}

export function fmtCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US") : "–";
}

/** A table with a header row; columns whose cells look numeric are right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const numeric = header.map((_, i) =>
    rows.every((row) => /^[-–<>≤≥~]?\s*[\d.,]+|^–$|^$/.test(row[i] ?? "")),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export function printTable(title: string, header: string[], rows: string[][]): void {
  console.log(`\n${title}\n${formatTable(header, rows)}`);
}
