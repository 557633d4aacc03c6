import type { ActivationStatus } from "../outcomes.js";
import type { Activation, CallbackRecord } from "../store/records.js";
import type { JobSpec } from "./job-queue.js";

/** The activation of a job that has not run (queued) or is starting (running): no result yet. */
export function blankActivation(
  job: JobSpec & { attempts?: number },
  status: ActivationStatus,
  at: number,
): Activation {
  return {
    id: job.id,
    account: job.account,
    function: job.function,
    version: 0,
    trigger: job.trigger,
    status,
    result: null,
    error: null,
    logs: [],
    logsTruncated: false,
    startedAt: at,
    durationMs: 0,
    billedMs: 0,
    memoryMb: 0,
    coldStart: false,
    attempts: job.attempts ?? 0,
    ...(job.trace?.parentId ? { parentId: job.trace.parentId } : {}),
    ...(job.trace?.traceparent ? { traceparent: job.trace.traceparent } : {}),
  };
}

/** Keeps the callback's progress on every record of a job that has one (a new record replaces the last). */
export function withCallback(job: JobSpec, activation: Activation): Activation {
  if (!job.callbackUrl) return activation;
  const callback: CallbackRecord = activation.callback ?? {
    url: job.callbackUrl,
    status: "pending",
    attempts: 0,
  };
  return { ...activation, callback };
}
