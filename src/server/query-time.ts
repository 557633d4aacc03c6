import { RunletError } from "../errors.js";

/** A time query parameter: ISO 8601 or epoch milliseconds; undefined when absent. */
export function parseTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      `${name}=${value} is not a date: use ISO 8601 (2026-11-01T12:00:00Z) or epoch milliseconds`,
    );
  }
  return ms;
}
