import { traceOf, triggerOf } from "../model/invocation.js";
import type { Activation, ActivationStatus, CallbackRecord } from "../model/activation.js";
import type { JobSpec } from "../model/job.js";

/** The activation of a job that has not run (queued) or is starting (running): no result yet. */
export function blankActivation(
  job: JobSpec & { attempts?: number },
  status: ActivationStatus,
  at: number,
): Activation {
  const { invocation } = job;
  const trace = traceOf(invocation);
  return {
    id: job.id,
    account: invocation.account,
    function: invocation.function,
    version: 0,
    trigger: triggerOf(invocation),
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
    ...(trace.parentId ? { parentId: trace.parentId } : {}),
    ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
    ...(trace.parentSpanId ? { parentSpanId: trace.parentSpanId } : {}),
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
