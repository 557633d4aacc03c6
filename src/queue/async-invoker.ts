import type { InvocationTrace } from "../runtime/instance.js";
import type { Trigger } from "../store/records.js";

/**
 * One invocation to run later, durably: accepted only once stored, then run at least once by the queue
 * workers through the dispatcher, retried per the function's `retry`, dead-lettered after the last try.
 */
export interface AsyncSubmission {
  account: string;
  function: string;
  trigger: Trigger;
  payload: unknown;
  headers?: [string, string][];
  /** The event's type (events) or e.g. `runlet.schedule`; defaults to `runlet.<trigger>`. */
  eventType?: string;
  /** A published event's own id, source and time (a CloudEvent's), handed to the function as is. */
  event?: { id: string; source: string; time: string };
  /** Set when a function submits it (ctx.invoke with async: true). */
  trace?: InvocationTrace;
  /** POST the result here when the activation ends (X-Callback-Url). */
  callbackUrl?: string;
  /** A repeated submission with the same key returns the first activation (Idempotency-Key). */
  idempotencyKey?: string;
  /** Digest of the request body, so key reuse with a different body is a 409. */
  bodyDigest?: string;
  /** Overrides the function's retry.attempts (ctx.invoke's `retries` + 1). */
  attempts?: number;
}

export interface Submitted {
  activationId: string;
  /** True when an Idempotency-Key matched an earlier submission: nothing new was queued. */
  duplicate: boolean;
}

/** What triggers (HTTP async, events, schedules, ctx.invoke) use to queue work; implemented in src/queue/. */
export interface AsyncInvoker {
  submit(submission: AsyncSubmission): Promise<Submitted>;
}
