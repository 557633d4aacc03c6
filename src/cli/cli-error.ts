import { ERRORS } from "../errors.js";

/** Exit code for a command line that could not be understood (unknown option, bad argument value). */
export const USAGE_EXIT = 2;

export interface CliErrorExtra {
  hint?: string;
  exitCode?: number;
  activationId?: string;
  status?: number;
  printed?: boolean;
  cause?: unknown;
}

/**
 * An error the CLI reports as `runlet: <message>` plus a hint. `code` is a registry code (src/errors.ts),
 * either the server's or the closest one for a local failure, so scripts see one vocabulary.
 */
export class CliError extends Error {
  override name = "CliError";
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;
  readonly activationId: string | undefined;
  readonly status: number | undefined;
  /** True when the command already printed the failure as JSON on stdout (`invoke --local --json`). */
  readonly printed: boolean;
  /** What it was made with, to make a copy with another hint. */
  readonly extra: CliErrorExtra;

  constructor(code: string, message: string, extra: CliErrorExtra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.code = code;
    this.hint = extra.hint;
    this.exitCode = extra.exitCode ?? 1;
    this.activationId = extra.activationId;
    this.status = extra.status;
    this.printed = extra.printed ?? false;
    this.extra = extra;
  }

  /** The explicit hint, else the registry's one-line fix for the code (report.ts prefers a CLI hint). */
  get fix(): string | undefined {
    if (this.hint !== undefined) return this.hint;
    return Object.hasOwn(ERRORS, this.code) ? ERRORS[this.code as keyof typeof ERRORS].fix : undefined;
  }
}

export function usageError(message: string, hint?: string, code = "RUNLET_ERR_BAD_REQUEST"): CliError {
  return new CliError(code, message, { exitCode: USAGE_EXIT, ...(hint === undefined ? {} : { hint }) });
}
