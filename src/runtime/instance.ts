import type { HandlerStyle } from "../model/function.js";
import { boot, type Booted } from "./boot.js";
import type { Failure, InstanceOptions, InvocationInput, Pending } from "./instance-types.js";
import { footprintOf } from "./spares.js";
import { ARGS_CHARS, hostArguments, type RawArguments } from "./host-arguments.js";
import { failureOf, HostCallError, type BlobArgument, type Caller } from "./host-ops.js";
import { LogCollector } from "./logs.js";
import { malformed } from "./answer-check.js";
import { outcomeOfEnvelope, type RawOutcome } from "./outcome.js";
import { ResponseStream } from "./response-stream.js";

export { ModuleLoadError, type CodeCache } from "./boot.js";
export type { Answer, RawOutcome } from "./outcome.js";
export type { InstanceOptions, InvocationInput } from "./instance-types.js";
export type { InvocationTrace } from "../model/invocation.js";

/** How long an isolate may take to run a trivial script after a timeout before it counts as stuck. */
const PROBE_MS = 1000;

/**
 * One isolate running one version of a function. Invocations that arrive in the same event-loop turn
 * enter the isolate together in one call (entering is the expensive part: DESIGN §3); each one still
 * finishes on its own. A memory overrun kills the isolate (`alive` turns false) and fails what was running
 * on it; the pool then replaces it. A timeout fails only its invocation unless the isolate is stuck (see
 * onTimeout).
 */
export class Instance {
  readonly style: HandlerStyle;
  readonly startMs: number;
  #inFlight = 0;
  #lastUsed = Date.now();
  #queue: { id: string; json: string }[] = [];
  #flushScheduled = false;
  /** A batch call is in the isolate: jobs queue until it returns, then enter together (see flush). */
  #batchInFlight = false;
  #pending = new Map<string, Pending>();
  #timers = new Map<number, NodeJS.Timeout>();

  private constructor(
    private readonly booted: Booted,
    private readonly options: InstanceOptions,
    startMs: number,
  ) {
    this.style = booted.style;
    this.startMs = startMs;
  }

  static async start(options: InstanceOptions): Promise<Instance> {
    const started = performance.now();
    const holder: { instance?: Instance } = {};
    const blobs: [string, number][] = [
      ...(options.ops?.blobs() ?? []).map(([op, spec]): [string, number] => [op, spec.max]),
      ["response.write", options.responseBytes],
    ];
    const booted = await boot(
      options,
      {
        log: (id, level, msg) => holder.instance?.onLog(id, level, msg),
        setTimer: (id, ms) => holder.instance?.onSetTimer(id, ms),
        clearTimer: (id) => holder.instance?.onClearTimer(id),
        done: (id, envelope) => holder.instance?.settle(id, envelope),
        call: (id, callId, op, args) => holder.instance?.onCall(id, callId, op, args),
        catastrophe: (message) => holder.instance?.onCatastrophe(message),
        memoryExceeded: () => holder.instance?.onMemoryExceeded(),
      },
      { blobs, argsChars: ARGS_CHARS },
    );
    holder.instance = new Instance(booted, options, performance.now() - started);
    return holder.instance;
  }

  /** Slots handed out by the pool (invocations admitted to this instance). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** When the last slot was given back (idle reaping and eviction go oldest first). */
  get lastUsed(): number {
    return this.#lastUsed;
  }

  /** The pool admits one more invocation to this instance. */
  admit(): void {
    this.#inFlight += 1;
  }

  /** The pool takes back an invocation's slot. */
  vacate(): void {
    this.#inFlight -= 1;
    this.#lastUsed = Date.now();
  }

  /** Cached: asking the isolate is a native call, and the pool asks on every acquire. */
  #alive = true;

  get alive(): boolean {
    return this.#alive;
  }

  /** An invocation timed out beside others: the instance finishes what it holds and takes nothing new. */
  #retiring = false;

  /** Whether the pool may admit another invocation to this instance. */
  get accepting(): boolean {
    return this.#alive && !this.#retiring;
  }

  /** Runs one invocation; never throws (every failure is an outcome). */
  invoke(input: InvocationInput, timeoutMs: number): Promise<RawOutcome> {
    return new Promise<RawOutcome>((resolve) => {
      if (!this.alive) {
        resolve(
          this.failed(performance.now(), {
            status: "platform_error",
            code: "RUNLET_ERR_PLATFORM",
            message: "the instance is gone",
          }),
        );
        return;
      }
      const { trace, onStream, hook, ...job } = input;
      let json: string;
      try {
        json = JSON.stringify(onStream ? { ...job, stream: true } : job);
      } catch {
        // A payload nested deeper than the host's stack can serialise (found by the API fuzz test): the
        // sender's to fix, a 400 like every body the server cannot serialise (model/json-text.ts).
        resolve(
          this.failed(performance.now(), {
            status: "rejected",
            code: "RUNLET_ERR_JSON_TOO_DEEP",
            message: "the payload is nested too deeply to hand to the function; send a flatter JSON value",
          }),
        );
        return;
      }
      this.#pending.set(input.id, {
        deadline: input.deadline,
        trace: trace ?? { depth: 0 },
        ...(hook ? { hook } : {}),
        started: performance.now(),
        timeoutMs,
        timer: setTimeout(() => this.onTimeout(input.id), timeoutMs),
        collector: new LogCollector(this.options.logLines, this.options.logBytes),
        web: input.request !== undefined,
        ...(onStream ? { stream: new ResponseStream(onStream) } : {}),
        resolve,
      });
      this.#queue.push({ id: input.id, json });
      this.scheduleFlush();
    });
  }

  /** Memory the isolate holds, as last measured by measure() (the scheduler's memory budget counts it). */
  footprintBytes = 0;
  measuredAt = 0;

  /**
   * Measures what the isolate holds: V8 heap pages in use (physical, not just reserved) and ArrayBuffers.
   * Not V8's `malloced_memory`: it swings by megabytes while other isolates compile (an idle isolate's
   * figure moved 1 → 16 → 8 MB as spares were made beside it), which would make every measurement noise.
   * Asynchronous on purpose: the sync variant waits for the isolate's lock and would block the event loop
   * behind code spinning in the isolate.
   */
  async measure(): Promise<number> {
    this.measuredAt = Date.now();
    if (!this.alive || this.booted.isolate.isDisposed) return (this.footprintBytes = 0);
    try {
      this.footprintBytes = footprintOf(await this.booted.isolate.getHeapStatistics());
    } catch {
      this.footprintBytes = 0; // disposed meanwhile
    }
    return this.footprintBytes;
  }

  /** Disposes the instance and ends whatever runs on it with `failure` (a shutdown that cannot wait). */
  stop(failure: Failure): void {
    this.dispose();
    this.failAll(failure);
  }

  dispose(): void {
    this.#alive = false;
    this.clearTimers();
    // A wedged isolate's thread never answers: disposing it could block; its memory is lost until restart.
    // One open to the inspector is left to its process's end (see Spare.inspector).
    if (this.#wedged || this.booted.inspector) return;
    const { isolate, context } = this.booted;
    if (isolate.isDisposed) return;
    try {
      context.release();
      isolate.dispose();
    } catch {
      // Disposed by the memory limit on the isolate's thread meanwhile: nothing left to free.
    }
  }

  private scheduleFlush(): void {
    if (this.#flushScheduled || this.#batchInFlight) return;
    this.#flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Enters the isolate with every queued job. At most one batch call is in the isolate at a time: the
   * isolate runs one thing at a time anyway, so jobs that arrive meanwhile lose nothing by waiting for it to
   * come back, and under load they enter together (one entry, ~20 µs of the main thread, for many jobs
   * instead of one each). A batch call comes back within a few microtask turns of its jobs starting
   * (prelude.ts); what is still running then reports through `done`.
   */
  private flush(): void {
    this.#flushScheduled = false;
    if (this.#batchInFlight) return;
    const jobs = this.#queue.splice(0);
    if (jobs.length === 0 || !this.alive) return;
    const ids = jobs.map((job) => job.id);
    const timeout = Math.max(...ids.map((id) => this.#pending.get(id)?.timeoutMs ?? 0));
    this.#batchInFlight = true;
    const back = (): void => {
      this.#batchInFlight = false;
      if (this.#queue.length > 0) this.scheduleFlush();
    };
    this.booted.batch
      .apply(undefined, [`[${jobs.map((job) => job.json).join(",")}]`], {
        arguments: { copy: true },
        result: { promise: true, copy: true },
        timeout,
      })
      .then(
        (done: unknown) => {
          back();
          this.settleBatch(ids, done);
        },
        (err: unknown) => {
          back();
          this.onIsolateError(err, ids);
        },
      );
  }

  /**
   * The batch call's result: `[id, envelope]` pairs of the jobs done in time (the rest report through
   * `done`). Untrusted like every answer: a pair naming a job outside this batch, or anything not a pair,
   * settles nothing; a result that is not a list at all fails the whole batch.
   */
  private settleBatch(ids: string[], done: unknown): void {
    if (!Array.isArray(done)) {
      for (const id of ids) this.fail(id, malformed("the batch result is not a list"));
      return;
    }
    const batch = new Set(ids);
    for (const pair of done as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const [id, envelope] = pair as unknown[];
      if (typeof id === "string" && batch.delete(id)) this.settle(id, envelope);
    }
  }

  private settle(id: unknown, envelope: unknown): void {
    if (typeof id !== "string") return;
    if (this.#exceeded) return this.fail(id, this.memoryExceeded());
    const pending = this.take(id);
    if (!pending) return;
    const outcome =
      pending.stream?.refusal ??
      outcomeOfEnvelope(envelope, {
        responseBytes: this.options.responseBytes,
        web: pending.web,
      });
    if (outcome.status === "succeeded") pending.stream?.end();
    else pending.stream?.destroy(outcome.message);
    pending.resolve({
      ...outcome,
      logs: pending.collector.lines,
      logsTruncated: pending.collector.truncated,
      durationMs: performance.now() - pending.started,
    });
  }

  private failed(started: number, failure: Failure, collector?: LogCollector): RawOutcome {
    return {
      ...failure,
      logs: collector?.lines ?? [],
      logsTruncated: collector?.truncated ?? false,
      durationMs: performance.now() - started,
    };
  }

  private fail(id: string, failure: Failure): void {
    const pending = this.take(id);
    pending?.stream?.destroy(failure.message);
    if (pending) pending.resolve(this.failed(pending.started, failure, pending.collector));
  }

  private take(id: string): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    if (this.#pending.size === 0) {
      this.clearTimers();
      if (this.#retiring) this.dispose(); // the last neighbour of a timed-out invocation is done
    }
    return pending;
  }

  /**
   * The deadline passed. Alone on the instance, the invocation takes the isolate with it (its code may be
   * spinning). With neighbours, only it fails: the instance takes no more work and goes when they end,
   * unless the isolate cannot run a trivial script within PROBE_MS — then the timed-out code holds its
   * thread, nothing else on it can finish, and it goes now with what ran on it.
   */
  private onTimeout(id: string): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.fail(id, {
      status: "timeout",
      code: "RUNLET_ERR_TIMEOUT",
      message: `ran past its timeout of ${pending.timeoutMs} ms`,
    });
    if (!this.alive) return;
    if (this.#pending.size === 0) return this.dispose();
    this.#retiring = true;
    const stuck = setTimeout(() => this.recycle(), PROBE_MS);
    this.booted.context.eval("0", { timeout: PROBE_MS }).then(
      () => clearTimeout(stuck),
      () => {
        clearTimeout(stuck);
        this.recycle();
      },
    );
  }

  private recycle(): void {
    if (!this.alive) return;
    this.dispose();
    this.failAll({
      status: "platform_error",
      code: "RUNLET_ERR_PLATFORM",
      message:
        "the instance was recycled because another invocation on it timed out and holds its thread; retry",
    });
  }

  private onIsolateError(err: unknown, ids: string[]): void {
    const message = err instanceof Error ? err.message : String(err);
    if (/memory limit/i.test(message) || this.booted.isolate.isDisposed) {
      this.dispose();
      this.failAll({
        status: "resource_exceeded",
        code: "RUNLET_ERR_MEMORY_LIMIT",
        message: `exceeded its memory limit of ${this.options.memoryMb} MB`,
      });
      return;
    }
    if (/execution timed out/i.test(message)) {
      for (const id of ids) this.onTimeout(id);
      return;
    }
    for (const id of ids) this.fail(id, { status: "platform_error", code: "RUNLET_ERR_PLATFORM", message });
  }

  #exceeded = false;

  /**
   * The prelude refused WebAssembly memory or a resizable buffer past memoryMb (sandbox/memory-limits.ts),
   * synchronously, before the code could go on: every answer from now on is that failure, and the instance
   * ends as soon as the isolate lets go. The message is the host's own, not the isolate's.
   */
  private onMemoryExceeded(): void {
    if (!this.alive || this.#exceeded) return;
    this.#exceeded = true;
    this.#alive = false; // the pool drops it when its slot comes back
    setImmediate(() => {
      this.dispose();
      this.failAll(this.memoryExceeded());
    });
  }

  private memoryExceeded(): Failure {
    return {
      status: "resource_exceeded",
      code: "RUNLET_ERR_MEMORY_LIMIT",
      message:
        `exceeded its memory limit of ${this.options.memoryMb} MB: WebAssembly memory and resizable ` +
        `buffers count against memoryMb (each reserves its maximum); declare smaller maxima or raise memoryMb`,
    };
  }

  #wedged = false;

  /** V8 lost control of the isolate (see spares.ts): fail what ran on it, and never enter it again. */
  private onCatastrophe(message: string): void {
    if (this.#wedged) return;
    this.#wedged = true;
    this.options.onLost?.();
    this.#alive = false;
    this.clearTimers();
    this.failAll({
      status: "resource_exceeded",
      code: "RUNLET_ERR_MEMORY_LIMIT",
      message: `exceeded its memory limit of ${this.options.memoryMb} MB (${message.toLowerCase()}; the instance was discarded)`,
    });
  }

  private failAll(failure: Failure): void {
    for (const id of [...this.#pending.keys()]) this.fail(id, failure);
  }

  /** A response chunk is the whole argument of "response.write", at most the response limit. */
  #chunk(): BlobArgument {
    return { field: "", max: this.options.responseBytes, unit: "bytes", what: "response.write: the chunk" };
  }

  /** The function asked the host for something: run it as this invocation, answer into the isolate. */
  private onCall(id: string, callId: number, op: string, raw: RawArguments): void {
    // Copies from the isolate, typed only by the prelude's word: anything else is nobody's call.
    if (typeof id !== "string" || typeof op !== "string" || !Number.isSafeInteger(callId)) return;
    const pending = this.#pending.get(id);
    const answer = (ok: boolean, value: unknown): void => {
      if (!this.alive || !this.#pending.has(id)) return;
      this.booted.reply
        .apply(undefined, [callId, ok, value], { arguments: { copy: true }, timeout: pending?.timeoutMs })
        .catch((err: unknown) => this.onIsolateError(err, [id]));
    };
    if (!pending) return;
    let args: unknown;
    try {
      args = hostArguments(op, raw, op === "response.write" ? this.#chunk() : this.options.ops?.blob(op));
    } catch (err) {
      if (err instanceof HostCallError) pending.collector.add("error", `${err.message} [${err.code}]`);
      answer(false, failureOf(err));
      return;
    }
    if (op === "response.start" || op === "response.write") {
      const stream = pending.stream;
      if (!stream) answer(false, failureOf(new Error("this invocation cannot stream its response")));
      else
        stream.call(op, args).then(
          () => answer(true, null),
          (err: unknown) => answer(false, failureOf(err)),
        );
      return;
    }
    const ops = this.options.ops;
    if (!ops) {
      answer(false, failureOf(new Error(`${op} is not available in this runtime`)));
      return;
    }
    const caller: Caller = {
      account: this.options.account,
      function: this.options.name,
      version: this.options.version,
      activationId: id,
      deadline: pending.deadline,
      depth: pending.trace.depth,
      chain: pending.trace.chain ?? id,
      ...(pending.trace.traceparent ? { traceparent: pending.trace.traceparent } : {}),
      log: (level, message) => pending.collector.add(level, message),
      ...(pending.hook ? { hook: pending.hook } : {}),
    };
    ops.call(caller, op, args).then(
      (value) => answer(true, value ?? null),
      (err: unknown) => answer(false, failureOf(err)),
    );
  }

  private onLog(id: string, level: string, msg: string): void {
    this.#pending.get(id)?.collector.add(level, msg);
  }

  private onSetTimer(id: number, ms: number): void {
    if (this.#pending.size === 0 || !this.alive) return;
    this.onClearTimer(id);
    this.#timers.set(
      id,
      setTimeout(() => {
        this.#timers.delete(id);
        if (this.#pending.size === 0 || !this.alive) return;
        this.booted.fire
          .apply(undefined, [id], {
            timeout: Math.max(...[...this.#pending.values()].map((p) => p.timeoutMs)),
          })
          .catch((err: unknown) => this.onIsolateError(err, []));
      }, ms),
    );
  }

  private onClearTimer(id: number): void {
    const timer = this.#timers.get(id);
    if (timer) clearTimeout(timer);
    this.#timers.delete(id);
  }

  private clearTimers(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
