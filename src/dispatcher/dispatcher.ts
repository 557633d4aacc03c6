import { RunletError, type ErrorCode } from "../errors.js";
import type { Catalog } from "../functions/catalog.js";
import { notFound } from "../functions/service.js";
import { timeId } from "../ids.js";
import { defaultCodeFor, httpStatusFor, type FinalStatus } from "../outcomes.js";
import type { Answer, InvocationInput, InvocationTrace } from "../runtime/instance.js";
import type { StreamHead } from "../runtime/response-stream.js";
import type { Lease } from "../scheduler/pool.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { Activation, ActivationStep, Trigger, VersionRecord } from "../store/records.js";
import { runSequence } from "../functions/sequence-runner.js";
import type { ActivationLog } from "./activation-log.js";

export interface InvokeRequest {
  account: string;
  function: string;
  trigger: Trigger;
  payload: unknown;
  headers?: [string, string][];
  /** For web functions: the raw HTTP request. */
  request?: InvocationInput["request"];
  eventType?: string;
  /** Run this kept version instead of the deployed one (developer test-invoke). */
  version?: number;
  /** The id minted when it was queued (async): every attempt records under the same activation. */
  activationId?: string;
  /** Which run this is (async retries and crash re-runs count); recorded on the activation. */
  attempts?: number;
  /** Set for invocations made by another function (ctx.invoke): hop count and W3C trace context. */
  trace?: InvocationTrace;
  /** Web requests: the function streams its body; called with the head as soon as it starts (DESIGN §2). */
  onStream?: (head: StreamHead & { activationId: string; coldStart: boolean }) => void;
  /** Caps the version's timeoutMs (ctx.invoke: the caller's remaining time, its timeoutMs option). */
  timeoutMs?: number;
  /** A published event's own id, source and time (a CloudEvent's), instead of the activation's. */
  event?: { id: string; source: string; time: string };
}

export interface AdmissionRefusal {
  status: "rejected";
  code: ErrorCode;
  message: string;
  headers?: Record<string, string>;
}

export interface InvokeResult {
  activation: Activation;
  /** HTTP status for a sync caller. */
  httpStatus: number;
  answer?: Answer;
  error?: RunletError;
}

/**
 * The single path every trigger uses: resolve the deployed version, admit through the scheduler, run,
 * record the activation. Never throws for anything the function did; only unknown functions throw.
 */
export class Dispatcher {
  constructor(
    private readonly catalog: Catalog,
    private readonly scheduler: Scheduler,
    private readonly activations: ActivationLog,
    private readonly options: { maxInvokeDepth: number } = { maxInvokeDepth: 8 },
  ) {}

  /** Account quotas (src/metering/quotas.ts): refuses an invocation, or counts it until its activation is recorded. */
  admission: ((account: string, activationId: string) => AdmissionRefusal | undefined) | undefined;

  async invoke(req: InvokeRequest): Promise<InvokeResult> {
    const fn = await this.catalog.function(req.account, req.function);
    if (!fn) throw notFound(req.function);
    const startedAt = Date.now();
    const id = req.activationId ?? timeId("act_", startedAt);
    const versionNumber = req.version ?? fn.deployedVersion;
    if (versionNumber === null) {
      return this.finish(req, id, startedAt, fn.latestVersion, null, {
        status: "rejected",
        code: "RUNLET_ERR_NOT_DEPLOYED",
        message: `function ${req.function} is not deployed; deploy it first (runlet deploy ${req.function})`,
      });
    }
    const version = await this.catalog.version(req.account, req.function, versionNumber);
    if (!version) {
      throw new RunletError(
        "RUNLET_ERR_VERSION_NOT_FOUND",
        `${req.function} has no version ${versionNumber}`,
      );
    }
    const refused = this.admission?.(req.account, id);
    if (refused) return this.finish(req, id, startedAt, version.version, version, refused);
    // The function's own timeout, or less when a caller (ctx.invoke) has less time left.
    const timeoutMs = Math.max(1, Math.min(version.config.timeoutMs, req.timeoutMs ?? Infinity));
    if (version.config.sequence) {
      const outcome = await runSequence((step) => this.invoke(step), req, version, {
        id,
        deadline: startedAt + timeoutMs,
        maxDepth: this.options.maxInvokeDepth,
      });
      return this.finish(req, id, startedAt, version.version, version, outcome);
    }
    let lease: Lease;
    try {
      lease = await this.scheduler.acquire(version);
    } catch (err) {
      const rejected = err instanceof RunletError ? err : undefined;
      return this.finish(req, id, startedAt, version.version, version, {
        status: rejected?.status === 429 ? "rejected" : "platform_error",
        code: rejected?.code ?? "RUNLET_ERR_PLATFORM",
        message: rejected?.message ?? `could not start an instance: ${String(err)}`,
        headers: rejected?.headers,
      });
    }
    try {
      const outcome = await lease.instance.invoke(
        {
          id,
          deadline: startedAt + timeoutMs,
          event: {
            id: req.event?.id ?? id,
            type: req.eventType ?? `runlet.${req.trigger}`,
            source: req.event?.source ?? `/fn/${req.account}/${req.function}`,
            time: req.event?.time ?? new Date(startedAt).toISOString(),
            payload: req.payload ?? null,
            headers: req.headers ?? [],
          },
          ...(req.request ? { request: req.request } : {}),
          ...(req.trace ? { trace: req.trace } : {}),
          ...(req.onStream
            ? {
                onStream: (head: StreamHead) =>
                  req.onStream!({ ...head, activationId: id, coldStart: lease.coldStart }),
              }
            : {}),
        },
        timeoutMs,
      );
      return this.finish(req, id, startedAt, version.version, version, outcome, lease.coldStart);
    } finally {
      this.scheduler.release(version, lease);
    }
  }

  private finish(
    req: InvokeRequest,
    id: string,
    startedAt: number,
    version: number,
    record: VersionRecord | null,
    outcome: {
      status: FinalStatus;
      code?: ErrorCode;
      message?: string;
      answer?: Answer;
      logs?: Activation["logs"];
      logsTruncated?: boolean;
      durationMs?: number;
      headers?: Record<string, string> | undefined;
      steps?: ActivationStep[];
    },
    coldStart = false,
  ): InvokeResult {
    const durationMs = outcome.durationMs ?? Date.now() - startedAt;
    const succeeded = outcome.status === "succeeded";
    const code = succeeded
      ? undefined
      : (outcome.code ?? defaultCodeFor(outcome.status as Exclude<FinalStatus, "succeeded">));
    const activation: Activation = {
      id,
      account: req.account,
      function: req.function,
      version,
      trigger: req.trigger,
      status: outcome.status,
      result: succeeded && outcome.answer ? resultOf(outcome.answer) : null,
      error: code ? { code, message: outcome.message ?? "" } : null,
      logs: outcome.logs ?? [],
      logsTruncated: outcome.logsTruncated ?? false,
      startedAt,
      durationMs: Math.round(durationMs * 1000) / 1000,
      // Billed for what ran, rounded up to 1 ms; a request refused before running costs nothing.
      billedMs: outcome.durationMs === undefined ? 0 : Math.max(1, Math.ceil(durationMs)),
      memoryMb: record?.config.memoryMb ?? 0,
      coldStart,
      ...(req.attempts !== undefined ? { attempts: req.attempts } : {}),
      ...(req.trace?.parentId ? { parentId: req.trace.parentId } : {}),
      ...(req.trace?.traceparent ? { traceparent: req.trace.traceparent } : {}),
      ...(outcome.steps ? { steps: outcome.steps } : {}),
    };
    this.activations.record(activation);
    const httpStatus = httpStatusFor(outcome.status, code);
    const error = code
      ? new RunletError(code, activation.error!.message, { activationId: id, headers: outcome.headers })
      : undefined;
    return {
      activation,
      httpStatus,
      ...(outcome.answer ? { answer: outcome.answer } : {}),
      ...(error ? { error } : {}),
    };
  }
}

/** What the activation record keeps of an answer: the JSON value, or an HTTP response's head. */
function resultOf(answer: Answer): unknown {
  if (answer.kind === "json") return JSON.parse(answer.body);
  const body =
    typeof answer.body === "string"
      ? answer.body.slice(0, 4096)
      : answer.body
        ? `<${answer.body.byteLength} bytes>`
        : null;
  return { status: answer.status, headers: Object.fromEntries(answer.headers), body };
}
