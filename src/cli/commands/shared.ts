import { InvalidArgumentError } from "commander";

export const JSON_HELP = "print machine-readable JSON to stdout";

export interface JsonOption {
  json?: boolean;
}

/** Parser for integer options (`--limit`, `--to`); a bad value is a usage error (exit 2). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

/** A version from a list that may hold numbers or `{version}` objects (as `get` returns). */
export function versionNumbers(versions: unknown): number[] {
  if (!Array.isArray(versions)) return [];
  return versions
    .map((v: unknown) => (typeof v === "number" ? v : (v as { version?: unknown } | null)?.version))
    .filter((v): v is number => typeof v === "number");
}
