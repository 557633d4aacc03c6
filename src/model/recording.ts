import type { ActivationError, ActivationStatus } from "./activation.js";

/** What a function's config `record` asks for: keep this share of activations for this many days. */
export interface RecordConfig {
  /** 0.01 to 1: the share of activations kept (drawn per activation). */
  sample: number;
  /** 1 to 30: recordings older than this are pruned. */
  days: number;
}

/** The handler's `event`, as the recorded activation received it. */
export interface RecordedInput {
  id: string;
  type: string;
  source: string;
  time: string;
  payload: unknown;
  /** Name, value pairs (credentials removed), as model/invocation.ts's HeaderList. */
  headers: [string, string][];
}

/**
 * One host call the recorded activation made, and its answer. `key` identifies the call (its operation and
 * a digest of its arguments) so a replay can tell whether it makes the same calls; `what` says it for people.
 */
export interface RecordedCall {
  op: string;
  key: string;
  what: string;
  /** ctx.secrets: only the name is kept; a replay reads the value again (a read has no side effect). */
  secret?: true;
  /** A fetch answer, whose body is kept as base64. */
  bytes?: true;
  ok: boolean;
  /** The answer (ok) or the failure `{name, code, message, activationId?}` the function saw. */
  answer?: unknown;
}

/** How an activation ended, in the terms a replay is compared in. */
export interface RecordedOutcome {
  status: ActivationStatus;
  result: unknown;
  error: ActivationError | null;
}

/** A recorded activation: its input, every host call's answer, and how it ended. */
export interface Recording {
  account: string;
  /** The activation's id. */
  id: string;
  function: string;
  version: number;
  startedAt: number;
  expiresAt: number;
  input: RecordedInput;
  calls: RecordedCall[];
  outcome: RecordedOutcome;
}

/** What a replay found for one recorded activation. */
export interface ReplayReport {
  activationId: string;
  recordedVersion: number;
  version: number;
  /** `different_calls` wins over `different_result` when both hold (the diff is given too). */
  verdict: "same" | "different_result" | "different_calls";
  recorded: RecordedOutcome;
  replayed: RecordedOutcome;
  /** Where the results differ: JSON paths with the recorded and replayed values. */
  diff: { path: string; recorded?: unknown; replayed?: unknown }[];
  /** Calls the replay made that the recording does not have, and recorded calls it did not make. */
  calls: { what: string; problem: "not_recorded" | "not_made" }[];
}
