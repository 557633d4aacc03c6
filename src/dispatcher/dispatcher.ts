import { RunletError } from "../errors.js";
import type { Catalog } from "../functions/catalog.js";
import { notFound } from "../functions/service.js";
import { timeId } from "../ids.js";
import type { Activation } from "../model/activation.js";
import type { VersionRecord } from "../model/function.js";
import { rejected, type Answer, type Outcome } from "../outcomes.js";
import type { InvocationInput } from "../runtime/instance.js";
import type { Lease } from "../scheduler/pool.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { mapFrames } from "../runtime/source-map.js";
import type { ActivationLog } from "./activation-log.js";
import {
  eventOf,
  faultsOf,
  traceOf,
  triggerOf,
  type AsyncRun,
  type Invocation,
  type InvokeResult,
} from "../model/invocation.js";
import { routedVersion } from "./canary-route.js";
import { runSequence } from "./sequence-runner.js";
import { FaultInjector } from "../faults/injector.js";
import type { CallHook } from "../runtime/host-ops.js";
import type { RecordedInput, RecordedOutcome, Recording } from "../model/recording.js";
import { Recorder } from "../replay/recorder.js";

/** An invocation in progress: what its activation record is made of, filled in as the run goes. */
interface Run {
  inv: Invocation;
  target: Exclude<Invocation, AsyncRun>;
  id: string;
  startedAt: number;
  /** False when there is no function or version to record the activation under. */
  known: boolean;
  version: number;
  record: VersionRecord | null;
  coldStart: boolean;
  /** The invocation's fault profile at work on its host calls (X-Runlet-Faults). */
  faults?: FaultInjector;
  /** Keeps the answers of its host calls, when the version's `record` sampled it. */
  recorder?: Recorder;
  /** The handler's event, once it ran (what a recording keeps as its input). */
  event?: RecordedInput;
}

/** A kept version run on a recorded input with a hook that plays the recorded answers back. */
export interface ReplayRun {
  account: string;
  function: string;
  version: number;
  input: RecordedInput;
  hook: CallHook;
}

/**
 * The single path every trigger uses: resolve the deployed version, admit through the scheduler, run,
 * record the activation. Never throws: whatever the caller or the function did ends as an Outcome.
 */
export class Dispatcher {
  constructor(
    private readonly catalog: Catalog,
    private readonly scheduler: Scheduler,
    private readonly activations: ActivationLog,
    private readonly options: { maxInvokeDepth: number } = { maxInvokeDepth: 8 },
  ) {}

  /**
   * Budgets and account quotas (src/metering/): refuses an invocation, or counts it until its activation
   * is recorded.
   */
  admission:
    | ((
        account: string,
        activationId: string,
        fn: string,
        startedAt: number,
      ) => Outcome | undefined | Promise<Outcome | undefined>)
    | undefined;

  /** Where recorded activations go (src/replay/recordings.ts); unset, nothing is recorded. */
  recordings: { keep(recording: Recording): void } | undefined;

  /** A queued run always leaves its activation: it was recorded as queued when it was submitted. */
  invoke(inv: AsyncRun): Promise<Required<InvokeResult>>;
  invoke(inv: Invocation): Promise<InvokeResult>;
  async invoke(inv: Invocation): Promise<InvokeResult> {
    const target: Exclude<Invocation, AsyncRun> = inv.kind === "async" ? inv.run : inv;
    const startedAt = Date.now();
    const run: Run = {
      inv,
      target,
      id: inv.kind === "async" ? inv.id : timeId("act_", startedAt),
      startedAt,
      known: false,
      version: 0,
      record: null,
      coldStart: false,
    };
    const plan = faultsOf(inv);
    if (plan) run.faults = new FaultInjector(plan);
    // A full activation log slows admission (and past its timeout refuses with 503) rather than drop records.
    const full = await this.activations.room().then(
      () => undefined,
      (err: RunletError) => rejected(err.code, err.message, err.headers),
    );
    if (full) return this.finish(run, full);
    const fn = await this.catalog.function(target.account, target.function);
    if (!fn)
      return this.finish(run, rejected("RUNLET_ERR_FUNCTION_NOT_FOUND", notFound(target.function).message));
    const versionNumber =
      (target.kind === "http" ? target.version : undefined) ?? routedVersion(fn, target.routeKey);
    if (versionNumber === null) {
      run.known = true;
      run.version = fn.latestVersion;
      return this.finish(
        run,
        rejected(
          "RUNLET_ERR_NOT_DEPLOYED",
          `function ${target.function} is not deployed; deploy it first (runlet deploy ${target.function})`,
        ),
      );
    }
    const version = await this.catalog.version(target.account, target.function, versionNumber);
    if (!version) {
      return this.finish(
        run,
        rejected("RUNLET_ERR_VERSION_NOT_FOUND", `${target.function} has no version ${versionNumber}`),
      );
    }
    Object.assign(run, { known: true, version: version.version, record: version });
    // A sample of a recording function's activations; never a faulted one, a web request or a sequence.
    const record = version.config.record;
    if (record && this.recordings && !run.faults && target.kind !== "web" && !version.config.sequence) {
      if (Math.random() < record.sample) run.recorder = new Recorder();
    }
    const refused = await this.admission?.(target.account, run.id, target.function, run.startedAt);
    if (refused) return this.finish(run, refused);
    // The function's own timeout, or less when a caller (ctx.invoke, a sequence) has less time left.
    const cap = target.kind === "function" || target.kind === "step" ? target.timeoutMs : undefined;
    const timeoutMs = Math.max(1, Math.min(version.config.timeoutMs, cap ?? Infinity));
    if (version.config.sequence) {
      const outcome = await runSequence((step) => this.invoke(step), target, version, {
        id: run.id,
        trace: traceOf(inv),
        deadline: startedAt + timeoutMs,
        maxDepth: this.options.maxInvokeDepth,
      });
      return this.finish(run, outcome);
    }
    let lease: Lease;
    try {
      lease = await this.scheduler.acquire(version);
    } catch (err) {
      return this.finish(run, refusalOf(err));
    }
    run.coldStart = lease.coldStart;
    try {
      const outcome = await lease.instance.invoke(this.input(run, startedAt + timeoutMs), timeoutMs);
      return this.finish(run, outcome);
    } finally {
      this.scheduler.release(version, lease);
    }
  }

  /** The job the instance runs: the handler's event (and web request), its trace and stream hook. */
  private input(run: Run, deadline: number): InvocationInput {
    const { target, id, startedAt } = run;
    const { type, headers, origin } = eventOf(target);
    const onStream = target.kind === "web" ? target.onStream : undefined;
    run.event = {
      id: origin?.id ?? id,
      type,
      source: origin?.source ?? `/fn/${target.account}/${target.function}`,
      time: origin?.time ?? new Date(startedAt).toISOString(),
      payload: target.payload ?? null,
      headers,
    };
    return {
      id,
      deadline,
      event: run.event,
      trace: traceOf(run.inv),
      ...(run.faults || run.recorder ? { hook: run.faults ?? run.recorder } : {}),
      ...(target.kind === "web" ? { request: target.request } : {}),
      ...(onStream
        ? { onStream: (head) => onStream({ ...head, activationId: id, coldStart: run.coldStart }) }
        : {}),
    };
  }

  /** Hands a recorded activation to the recordings, or says in its log why it could not be kept. */
  private keepRecording(run: Run, activation: Activation): void {
    const recorder = run.recorder!;
    const outcome: RecordedOutcome = {
      status: activation.status,
      result: activation.result,
      error: activation.error,
    };
    const overflow = recorder.measure(run.event, outcome);
    if (overflow || !run.event || !run.record?.config.record) {
      if (overflow)
        activation.logs.push({ t: Date.now(), level: "warn", msg: `not recorded for replay: ${overflow}` });
      return;
    }
    this.recordings?.keep({
      account: activation.account,
      id: activation.id,
      function: activation.function,
      version: activation.version,
      startedAt: activation.startedAt,
      expiresAt: activation.startedAt + run.record.config.record.days * 86_400_000,
      input: run.event,
      calls: recorder.calls,
      outcome,
    });
  }

  /**
   * Runs a kept version on a recorded input, its host calls answered by `hook` (src/replay/replayer.ts).
   * Not an invocation: no admission, no activation record, nothing metered.
   */
  async replay(req: ReplayRun): Promise<Outcome> {
    const version = await this.catalog.version(req.account, req.function, req.version);
    if (!version) {
      return rejected(
        "RUNLET_ERR_VERSION_NOT_FOUND",
        `${req.function} has no version ${req.version}; list the kept ones with runlet versions ${req.function}`,
      );
    }
    if (version.config.sequence) {
      return rejected(
        "RUNLET_ERR_BAD_REQUEST",
        `${req.function} version ${req.version} is a sequence, which has no code to replay; replay its steps`,
      );
    }
    let lease: Lease;
    try {
      lease = await this.scheduler.acquire(version);
    } catch (err) {
      return refusalOf(err);
    }
    const id = timeId("rpl_");
    const timeoutMs = version.config.timeoutMs;
    try {
      const input = {
        id,
        deadline: Date.now() + timeoutMs,
        event: req.input,
        trace: { depth: 0 },
        hook: req.hook,
      };
      return mapFrames(version, await lease.instance.invoke(input, timeoutMs));
    } finally {
      this.scheduler.release(version, lease);
    }
  }

  /** Records the activation (unless there is nothing to record it under) and hands back the outcome. */
  private finish(run: Run, raw: Outcome): InvokeResult {
    const { inv, target } = run;
    // Stack frames of errors and logs in the author's files (the version's source map); most need nothing.
    const outcome = run.record ? mapFrames(run.record, raw) : raw;
    const durationMs = outcome.durationMs ?? Date.now() - run.startedAt;
    const trace = traceOf(inv);
    const activation: Activation = {
      id: run.id,
      account: target.account,
      function: target.function,
      version: run.version,
      trigger: triggerOf(inv),
      status: outcome.status,
      result: outcome.status === "succeeded" ? resultOf(outcome.answer) : null,
      error: outcome.status === "succeeded" ? null : { code: outcome.code, message: outcome.message },
      logs: outcome.logs ?? [],
      logsTruncated: outcome.logsTruncated ?? false,
      startedAt: run.startedAt,
      durationMs: Math.round(durationMs * 1000) / 1000,
      // Billed for what ran, rounded up to 1 ms; a request refused before running costs nothing.
      billedMs: outcome.durationMs === undefined ? 0 : Math.max(1, Math.ceil(durationMs)),
      memoryMb: run.record?.config.memoryMb ?? 0,
      coldStart: run.coldStart,
      ...(inv.kind === "async" ? { attempts: inv.attempts } : {}),
      ...(trace.parentId ? { parentId: trace.parentId } : {}),
      ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
      ...(trace.parentSpanId ? { parentSpanId: trace.parentSpanId } : {}),
      ...(inv.kind === "async" && inv.queuedAt !== undefined
        ? { queuedMs: Math.max(0, run.startedAt - inv.queuedAt) }
        : {}),
      ...(outcome.steps ? { steps: outcome.steps } : {}),
      ...(run.faults ? { faults: run.faults.record() } : {}),
    };
    // A queued run's activation exists already (queued): it ends even when its function went away.
    if (!run.known && inv.kind !== "async") return { outcome };
    if (run.recorder) this.keepRecording(run, activation);
    this.activations.record(activation);
    return { outcome, activation };
  }
}

/**
 * Why no instance could be had: a full pool or memory budget (429), a quarantined version (409), a pool
 * being replaced (503), or worse.
 */
function refusalOf(err: unknown): Outcome {
  if (!(err instanceof RunletError)) {
    const message = `could not start an instance: ${String(err)}`;
    return { status: "platform_error", code: "RUNLET_ERR_PLATFORM", message };
  }
  return {
    status: err.status === 429 || err.code === "RUNLET_ERR_QUARANTINED" ? "rejected" : "platform_error",
    code: err.code,
    message: err.message,
    ...(err.headers ? { headers: err.headers } : {}),
  };
}

/** What the activation record keeps of an answer: the JSON value, or an HTTP response's head. */
export function resultOf(answer: Answer): unknown {
  if (answer.kind === "json") return "value" in answer ? answer.value : JSON.parse(answer.body);
  const body =
    typeof answer.body === "string"
      ? answer.body.slice(0, 4096)
      : answer.body
        ? `<${answer.body.byteLength} bytes>`
        : null;
  return { status: answer.status, headers: Object.fromEntries(answer.headers), body };
}
