import ivm from "isolated-vm";
import type { ErrorCode } from "../errors.js";
import type { FinalStatus } from "../outcomes.js";
import type { HandlerStyle, LogLine } from "../store/records.js";
import { LogCollector } from "./logs.js";
import { preludeSource } from "./prelude-source.js";

export interface InstanceOptions {
  /** The compiled module (compileSource output). */
  code: string;
  account: string;
  name: string;
  version: number;
  env: Record<string, string>;
  memoryMb: number;
  logLines: number;
  logBytes: number;
  responseBytes: number;
  /** V8 code cache for `code`, shared by every instance of a version. */
  codeCache?: CodeCache;
}

/** Per-version holder of V8's compiled-code cache: the first instance fills it, later ones start faster. */
export interface CodeCache {
  data?: ivm.ExternalCopy<ArrayBuffer>;
}

export interface InvocationInput {
  id: string;
  deadline: number;
  event: {
    id: string;
    type: string;
    source: string;
    time: string;
    payload: unknown;
    headers: [string, string][];
  };
  request?: { method: string; url: string; headers: [string, string][]; body: string | null };
}

export type Answer =
  | { kind: "json"; body: string }
  | { kind: "http"; status: number; headers: [string, string][]; body: string | ArrayBuffer | null };

export interface RawOutcome {
  status: FinalStatus;
  code?: ErrorCode;
  message?: string;
  answer?: Answer;
  logs: LogLine[];
  logsTruncated: boolean;
  durationMs: number;
}

/** The module failed at load: its top level threw, or it has no handler of a known style. */
export class ModuleLoadError extends Error {
  constructor(
    readonly code: "RUNLET_ERR_NO_HANDLER" | "RUNLET_ERR_MODULE_INIT",
    message: string,
  ) {
    super(message);
  }
}

type Envelope =
  | ({ ok: true } & Answer)
  | { ok: false; code: "function_error" | "invalid_result" | "result_too_large"; message: string };

/** isolated-vm sets `cachedData` on compiled scripts; its typings omit it. */
type CompiledScript = ivm.Script & ivm.CachedDataResult;
let preludeCache: ivm.ExternalCopy<ArrayBuffer> | undefined;
const HOST_CODE: Record<string, ErrorCode> = {
  function_error: "RUNLET_ERR_FUNCTION_ERROR",
  invalid_result: "RUNLET_ERR_INVALID_RESULT",
  result_too_large: "RUNLET_ERR_RESULT_TOO_LARGE",
};

/**
 * One isolate running one version of a function: a hard heap limit, nothing of the host but three
 * callbacks (log, setTimer, clearTimer), and a wall-clock deadline enforced by disposing the isolate.
 * After a timeout or a memory overrun the instance is dead (`alive` is false) and must be replaced.
 */
export class Instance {
  readonly style: HandlerStyle;
  readonly startMs: number;
  /** Slots handed out by the pool (invocations admitted to this instance). */
  inFlight = 0;
  lastUsed = Date.now();
  #running = 0;
  #invoke: ivm.Reference<(job: string) => Promise<Envelope>>;
  #collectors = new Map<string, LogCollector>();
  #timers = new Map<number, NodeJS.Timeout>();

  private constructor(
    private readonly isolate: ivm.Isolate,
    private readonly context: ivm.Context,
    invoke: ivm.Reference<(job: string) => Promise<Envelope>>,
    private readonly fire: ivm.Reference<(id: number) => void>,
    style: HandlerStyle,
    startMs: number,
  ) {
    this.#invoke = invoke;
    this.style = style;
    this.startMs = startMs;
  }

  static async start(options: InstanceOptions): Promise<Instance> {
    const started = performance.now();
    const isolate = new ivm.Isolate({ memoryLimit: Math.max(8, options.memoryMb) });
    let instance: Instance | undefined;
    try {
      const context = await isolate.createContext();
      const holder: { instance?: Instance } = {};
      const bindings = {
        log: new ivm.Callback(
          (id: string, level: string, msg: string) => holder.instance?.onLog(id, level, msg),
          {
            ignored: true,
          },
        ),
        setTimer: new ivm.Callback((id: number, ms: number) => holder.instance?.onSetTimer(id, ms), {
          ignored: true,
        }),
        clearTimer: new ivm.Callback((id: number) => holder.instance?.onClearTimer(id), { ignored: true }),
      };
      await context.global.set("__runlet_host", new ivm.ExternalCopy(bindings).copyInto({ release: true }));
      const prelude: CompiledScript = await isolate.compileScript(preludeSource(), {
        filename: "runlet:prelude.js",
        ...(preludeCache ? { cachedData: preludeCache } : { produceCachedData: true }),
      });
      if (!preludeCache && prelude.cachedData) preludeCache = prelude.cachedData;
      await prelude.run(context, { timeout: 1000 });
      const cache = options.codeCache;
      const script: CompiledScript = await isolate.compileScript(options.code, {
        filename: `fn:${options.account}/${options.name}@${options.version}.js`,
        ...(cache?.data ? { cachedData: cache.data } : { produceCachedData: true }),
      });
      if (cache && !cache.data && script.cachedData) cache.data = script.cachedData;
      await runModule(script, context);
      const setup = await context.global.get("__runlet_setup", { reference: true });
      const style = await setupHandler(setup, options);
      const invoke = await context.global.get("__runlet_invoke", { reference: true });
      const fire = await context.global.get("__runlet_fire", { reference: true });
      instance = new Instance(isolate, context, invoke, fire, style, performance.now() - started);
      instance.options = options;
      holder.instance = instance;
      return instance;
    } finally {
      if (!instance && !isolate.isDisposed) isolate.dispose();
    }
  }

  private options!: InstanceOptions;

  get alive(): boolean {
    return !this.isolate.isDisposed;
  }

  /** Runs one invocation; never throws (every failure is an outcome). */
  async invoke(input: InvocationInput, timeoutMs: number): Promise<RawOutcome> {
    const collector = new LogCollector(this.options.logLines, this.options.logBytes);
    this.#collectors.set(input.id, collector);
    this.#running += 1;
    const started = performance.now();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.dispose();
    }, timeoutMs);
    try {
      const envelope = await this.#invoke.apply(undefined, [JSON.stringify(input)], {
        arguments: { copy: true },
        result: { promise: true, copy: true },
        timeout: timeoutMs,
      });
      const durationMs = performance.now() - started;
      return this.outcomeOf(envelope, collector, durationMs);
    } catch (err) {
      const durationMs = performance.now() - started;
      const message = err instanceof Error ? err.message : String(err);
      const base = { logs: collector.lines, logsTruncated: collector.truncated, durationMs };
      if (timedOut || /execution timed out/i.test(message)) {
        this.dispose();
        return {
          ...base,
          status: "timeout",
          code: "RUNLET_ERR_TIMEOUT",
          message: `ran past its timeout of ${timeoutMs} ms`,
        };
      }
      if (/memory limit/i.test(message) || this.isolate.isDisposed) {
        this.dispose();
        return {
          ...base,
          status: "resource_exceeded",
          code: "RUNLET_ERR_MEMORY_LIMIT",
          message: `exceeded its memory limit of ${this.options.memoryMb} MB`,
        };
      }
      return { ...base, status: "platform_error", code: "RUNLET_ERR_PLATFORM", message };
    } finally {
      clearTimeout(timer);
      this.#collectors.delete(input.id);
      this.#running -= 1;
      if (this.#running === 0) this.clearTimers();
    }
  }

  private outcomeOf(envelope: Envelope, collector: LogCollector, durationMs: number): RawOutcome {
    const base = { logs: collector.lines, logsTruncated: collector.truncated, durationMs };
    if (envelope.ok) {
      const answer: Answer =
        envelope.kind === "json"
          ? { kind: "json", body: envelope.body }
          : { kind: "http", status: envelope.status, headers: envelope.headers, body: envelope.body };
      return { ...base, status: "succeeded", answer };
    }
    return {
      ...base,
      status: "function_error",
      code: HOST_CODE[envelope.code] ?? "RUNLET_ERR_FUNCTION_ERROR",
      message: envelope.message,
    };
  }

  /** Heap in use, for metrics and memory-pressure decisions. */
  heapBytes(): number {
    if (this.isolate.isDisposed) return 0;
    const stats = this.isolate.getHeapStatisticsSync();
    return stats.used_heap_size + stats.externally_allocated_size;
  }

  dispose(): void {
    this.clearTimers();
    if (!this.isolate.isDisposed) {
      try {
        this.context.release();
        this.isolate.dispose();
      } catch {
        // Already disposed by the memory limit in another thread: nothing left to free.
      }
    }
  }

  private onLog(id: string, level: string, msg: string): void {
    this.#collectors.get(id)?.add(level, msg);
  }

  private onSetTimer(id: number, ms: number): void {
    if (this.#running === 0 || this.isolate.isDisposed) return;
    this.onClearTimer(id);
    this.#timers.set(
      id,
      setTimeout(() => {
        this.#timers.delete(id);
        if (this.#running > 0 && !this.isolate.isDisposed) this.fire.applyIgnored(undefined, [id]);
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

async function runModule(script: ivm.Script, context: ivm.Context): Promise<void> {
  try {
    await script.run(context, { timeout: 1000 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ModuleLoadError("RUNLET_ERR_MODULE_INIT", `the module threw while loading: ${message}`);
  }
}

async function setupHandler(
  setup: ivm.Reference<(options: string) => string>,
  options: InstanceOptions,
): Promise<HandlerStyle> {
  const json = JSON.stringify({
    account: options.account,
    name: options.name,
    version: options.version,
    env: options.env,
    logLines: options.logLines,
    logBytes: options.logBytes,
    responseBytes: options.responseBytes,
  });
  try {
    return (await setup.apply(undefined, [json], {
      arguments: { copy: true },
      result: { copy: true },
      timeout: 1000,
    })) as HandlerStyle;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes("no handler found"))
      throw new ModuleLoadError("RUNLET_ERR_NO_HANDLER", message.replace(/^NoHandlerError: /, ""));
    throw new ModuleLoadError("RUNLET_ERR_MODULE_INIT", `the module failed to set up: ${message}`);
  }
}
