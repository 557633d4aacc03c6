// What every benchmark hands back to bench/run.ts for the summary table.

export interface SummaryRow {
  measurement: string;
  value: string;
  /** Ratio against the baseline measured in the same run, when there is one. */
  ratio?: string;
  /** The target, as text (e.g. "≥ 0.60×", "≤ 5 ms"). */
  target?: string;
  /** Whether the target was met (undefined: no target, or not measured). */
  met?: boolean;
}

export interface BenchOutcome {
  name: string;
  rows: SummaryRow[];
  /** Problems that kept a measurement from being made (the run goes on; the exit code reports them). */
  errors: string[];
  /** Raw numbers, written as JSON when BENCH_JSON is set. */
  data: Record<string, unknown>;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
