import { ERRORS, type ErrorCode } from "./errors.js";
import type { ActivationStep, FinalStatus, LogLine } from "./model/activation.js";

export { FINAL_STATUSES, type ActivationStatus, type FinalStatus } from "./model/activation.js";

/** What a function answered: a JSON value (as JSON text), or an http-style function's Response. */
export type Answer =
  | {
      kind: "json";
      body: string;
      /** The body parsed, when the host has parsed it already (checking it): saves parsing it again. */
      value?: unknown;
    }
  | { kind: "http"; status: number; headers: [string, string][]; body: string | ArrayBuffer | null };

/** What an invocation that ran (or was refused before running) left besides its status. */
interface Ran {
  /** Absent when nothing ran (refused before the function started): then nothing is billed. */
  durationMs?: number;
  logs?: LogLine[];
  logsTruncated?: boolean;
  /** A sequence's steps, in order. */
  steps?: ActivationStep[];
}

export interface Succeeded extends Ran {
  status: "succeeded";
  answer: Answer;
}

export interface Failed extends Ran {
  status: Exclude<FinalStatus, "succeeded">;
  /** The registry entry: it gives the HTTP status a sync caller sees (httpStatusOf). */
  code: ErrorCode;
  message: string;
  /** Headers the caller should see with the error (Retry-After on a 429). */
  headers?: Record<string, string>;
}

/** How one invocation ended (DESIGN §5): every path — runtime, sequence, refusal — ends in one of these. */
export type Outcome = Succeeded | Failed;

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${String(value)}`);
}

/** The HTTP status a sync invoker sees: 200, or the status the ERRORS registry gives the failure's code. */
export function httpStatusOf(outcome: Outcome): number {
  return outcome.status === "succeeded" ? 200 : ERRORS[outcome.code].status;
}

/** A refusal before anything ran (not deployed, throttled, over quota, unknown function, …). */
export function rejected(code: ErrorCode, message: string, headers?: Record<string, string>): Failed {
  return { status: "rejected", code, message, ...(headers ? { headers } : {}) };
}

/**
 * Refusals that count as throttled (runlet_throttled_total, the stats API's `throttled`): the function's
 * pool at maxInstances × concurrency, or the node's isolate memory full. Both leave a `rejected` record.
 */
export const THROTTLED_CODES = [
  "RUNLET_ERR_THROTTLED",
  "RUNLET_ERR_MEMORY_BUDGET",
] as const satisfies ErrorCode[];

/** Outcomes worth another run (async retries, ctx.invoke retries): the function or the platform failed, not the request. */
export function isRetryable(status: FinalStatus): boolean {
  return status === "function_error" || status === "timeout" || status === "platform_error";
}
