import type { ErrorCode } from "../errors.js";

/** The final statuses of DESIGN §5; async activations are first `queued`, then `running`. */
export const FINAL_STATUSES = [
  "succeeded",
  "function_error",
  "timeout",
  "resource_exceeded",
  "rejected",
  "platform_error",
] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];
export type ActivationStatus = FinalStatus | "queued" | "running";

/** What started an activation: `function` is ctx.invoke or a sequence step. */
export const TRIGGERS = ["http", "web", "event", "schedule", "queue", "function", "local"] as const;
export type Trigger = (typeof TRIGGERS)[number];

export interface LogLine {
  /** ms since epoch */
  t: number;
  level: "debug" | "info" | "warn" | "error" | "log";
  msg: string;
}

export interface ActivationError {
  code: ErrorCode;
  message: string;
}

export interface Activation {
  id: string;
  account: string;
  function: string;
  version: number;
  trigger: Trigger;
  status: ActivationStatus;
  result: unknown;
  error: ActivationError | null;
  logs: LogLine[];
  logsTruncated: boolean;
  startedAt: number;
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  coldStart: boolean;
  /** Runs it took: more than 1 when an async activation was retried or re-run after a crash. */
  attempts?: number;
  /** For an async activation with X-Callback-Url: how delivering its result went. */
  callback?: CallbackRecord;
  /** The activation that invoked this one (ctx.invoke or a sequence). */
  parentId?: string;
  /** The W3C traceparent it ran under (set for invocations made by another function). */
  traceparent?: string;
  /** The span of the activation or outside caller that invoked it (its parent in the trace). */
  parentSpanId?: string;
  /** For a queued activation: ms between its submission and the start of its (last) run. */
  queuedMs?: number;
  /** For a sequence: each step it ran, in order. */
  steps?: ActivationStep[];
  /** The fault profile it ran under (X-Runlet-Faults) and which of its rules fired. */
  faults?: ActivationFaults;
}

/** What an activation that carried `X-Runlet-Faults` records of the faults it met. */
export interface ActivationFaults {
  profile: string;
  /** Each rule that fired, with how many times (rules that never fired are left out). */
  fired: { target: string; kind: string; count: number }[];
}

/** One step of a sequence's activation. */
export interface ActivationStep {
  function: string;
  activationId: string;
  status: ActivationStatus;
  durationMs: number;
}

export interface CallbackRecord {
  url: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  /** Why the last try failed (HTTP status or network error). */
  lastError?: string;
  deliveredAt?: number;
}
