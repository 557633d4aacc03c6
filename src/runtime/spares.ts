import type ivm from "isolated-vm-types";
import isolatedVm from "./ivm.js";
import type { HostHooks } from "./host-hooks.js";
import { gateSource, preludeSource } from "./prelude-source.js";
import { syncOps } from "./sync-bridge.js";

/** An isolate with its context and prelude ready, waiting for a function's module. */
export interface Spare {
  isolate: ivm.Isolate;
  context: ivm.Context;
  /** The host callbacks the prelude captured forward to these, set when the spare is taken. */
  target: { hooks?: HostHooks };
  /** Sets the gate's argument limits, once (sandbox/gate.ts); no code in the isolate can reach it. */
  gate: ivm.Reference<(ops: string[], caps: number[], argsChars: number, logChars: number) => void>;
  /** The prelude's entry points: held by the host alone (see takeEntries). */
  entries: Entries;
  /**
   * Open to V8's inspector (`runlet dev --inspect`). Such an isolate is never disposed: on isolated-vm
   * 5.0.4 that aborted or hung the process now and then, so it lives in a child process that is killed.
   */
  inspector: boolean;
}

/** What the host calls in an isolate. */
export interface Entries {
  setup: ivm.Reference<(optionsJson: string) => string>;
  batch: ivm.Reference<(jobs: string) => Promise<unknown>>;
  fire: ivm.Reference<(id: number) => void>;
  reply: ivm.Reference<(id: number, ok: boolean, value: unknown) => void>;
}

/**
 * Takes the entry points the prelude left on the global object and deletes them there, before any code
 * of a function runs: tenant code can never call setup again, run a batch of its own, fire timers or
 * answer host calls.
 */
function takeEntries(context: ivm.Context): Entries {
  const holder = context.global.getSync("__runlet_entries", { reference: true });
  context.global.deleteSync("__runlet_entries");
  const get = (name: keyof Entries) => holder.getSync(name, { reference: true });
  const entries = { setup: get("setup"), batch: get("batch"), fire: get("fire"), reply: get("reply") };
  holder.release();
  if (context.global.getSync("__runlet_entries") !== undefined) {
    throw new Error("the prelude's entry points could not be taken off the global object");
  }
  return entries as Entries;
}

/** isolated-vm sets `cachedData` on compiled scripts; its typings omit it. */
export type CompiledScript = ivm.Script & ivm.CachedDataResult;

let preludeCache: ivm.ExternalCopy<ArrayBuffer> | undefined;

/** Creating the V8 heap is most of an isolate's start (≈1.3 ms); the prelude adds ≈0.3 ms. */
export function createSpare(memoryMb: number, inspector = false): Spare {
  // The prelude's code cache is made once, in an isolate of its own that is then dropped: the isolate
  // that made it keeps the extra compiled code (≈0.3 MiB), and every spare should hold the same.
  preludeCache ??= makePreludeCache();
  const target: Spare["target"] = {};
  const isolate = newIsolate(memoryMb, target, inspector);
  try {
    const context = isolate.createContextSync({ inspector });
    const gate = installBindings(isolate, context, target, memoryMb);
    const prelude: CompiledScript = isolate.compileScriptSync(preludeSource(), {
      ...PRELUDE,
      ...(preludeCache ? { cachedData: preludeCache } : {}),
    });
    prelude.runSync(context, { timeout: 1000 });
    return { isolate, context, target, gate, entries: takeEntries(context), inspector };
  } catch (err) {
    if (!inspector && !isolate.isDisposed) isolate.dispose();
    throw err;
  }
}

const PRELUDE = { filename: "runlet:prelude.js" };

/**
 * Puts the host callbacks into the context behind the gate (sandbox/gate.ts), before any other code runs
 * there, and takes the gate's configuration entry off the global object: only the host holds it.
 */
function installBindings(
  isolate: ivm.Isolate,
  context: ivm.Context,
  target: Spare["target"],
  memoryMb: number,
): Spare["gate"] {
  context.global.setSync(
    "__runlet_host",
    new isolatedVm.ExternalCopy(bindings(target, isolate, context, memoryMb)).copyInto({ release: true }),
  );
  isolate.compileScriptSync(gateSource(), { filename: "runlet:gate.js" }).runSync(context, { timeout: 1000 });
  const gate = context.global.getSync("__runlet_gate", { reference: true }) as Spare["gate"];
  context.global.deleteSync("__runlet_gate");
  return gate;
}

function newIsolate(memoryMb: number, target: Spare["target"], inspector = false): ivm.Isolate {
  return new isolatedVm.Isolate({
    memoryLimit: Math.max(8, memoryMb),
    inspector,
    // Some allocations past the limit (a Map's backing store, a huge array copy) are a fatal V8 OOM that
    // would abort the whole process (isolated-vm issues #107, #527); with this hook isolated-vm reports it
    // instead, and the instance is written off without touching the isolate again.
    onCatastrophicError: (message) => target.hooks?.catastrophe?.(message),
  });
}

/** The host callbacks an isolate gets, forwarding to whichever instance takes the spare. */
function bindings(
  target: Spare["target"],
  isolate: ivm.Isolate,
  context: ivm.Context,
  memoryMb: number,
): Record<string, unknown> {
  return {
    memoryBytes: memoryMb * 1024 * 1024,
    // Synchronous: the host knows before the code can answer anything else (a flag and a timer, no work).
    memoryExceeded: new isolatedVm.Callback(() => void target.hooks?.memoryExceeded?.()),
    log: new isolatedVm.Callback(
      (id: string, level: string, msg: string) => target.hooks?.log(id, level, msg),
      { ignored: true },
    ),
    setTimer: new isolatedVm.Callback((id: number, ms: number) => target.hooks?.setTimer(id, ms), {
      ignored: true,
    }),
    clearTimer: new isolatedVm.Callback((id: number) => target.hooks?.clearTimer(id), { ignored: true }),
    // Reached only through the gate, which passes a blob over its limit as its size alone.
    call: new isolatedVm.Callback(
      (
        activationId: string,
        callId: number,
        op: string,
        json: unknown,
        blob: unknown,
        jsonSize: unknown,
        blobSize: unknown,
      ) => target.hooks?.call(activationId, callId, op, { json, blob, jsonSize, blobSize }),
      { ignored: true },
    ),
    done: new isolatedVm.Callback(
      (id: string, envelope: Parameters<HostHooks["done"]>[1]) => target.hooks?.done(id, envelope),
      { ignored: true },
    ),
    // Synchronous, constant-size work only (a CSPRNG seed, loading a library): see sync-bridge.ts.
    sync: new isolatedVm.Callback(syncOps(isolate, context)),
  };
}

/**
 * Runs the prelude once and compiles it again in the same isolate (V8's compilation cache answers): the
 * cache then also holds the functions the run compiled, so later isolates skip compiling them (the run
 * takes half as long).
 */
function makePreludeCache(): ivm.ExternalCopy<ArrayBuffer> | undefined {
  const target: Spare["target"] = {};
  const isolate = newIsolate(32, target);
  try {
    const context = isolate.createContextSync();
    installBindings(isolate, context, target, 32);
    isolate.compileScriptSync(preludeSource(), PRELUDE).runSync(context, { timeout: 1000 });
    const again: CompiledScript = isolate.compileScriptSync(preludeSource(), {
      ...PRELUDE,
      produceCachedData: true,
    });
    return again.cachedData;
  } finally {
    isolate.dispose();
  }
}

/** What an isolate holds, as the memory budget counts it (see Instance.measure for what is left out). */
export function footprintOf(stats: ivm.HeapStatistics): number {
  return stats.total_physical_size + stats.externally_allocated_size;
}

/**
 * A few spares per memory size, made ahead on an idle turn, so a cold start only has to load the
 * function's own module. Only the sizes in use are kept, and at most `depth` of each.
 */
export class SparePool {
  #spares = new Map<number, Spare[]>();
  #refilling = new Set<number>();
  #floorBytes: number | undefined;

  constructor(
    private readonly depth = 2,
    /** Isolates open to V8's inspector (see Spare.inspector); `onTake` sees each one handed out. */
    private readonly inspector?: { onTake(spare: Spare): void },
  ) {}

  /**
   * What the smallest possible instance (the prelude and an empty handler) holds on this V8, measured
   * once: the floor of every instance's footprint, which the memory budget counts for what it has not
   * measured.
   */
  floorBytes(): number {
    this.#floorBytes ??= measureFloor();
    return this.#floorBytes;
  }

  take(memoryMb: number): Spare {
    const spare = this.#spares.get(memoryMb)?.pop() ?? createSpare(memoryMb, this.inspector !== undefined);
    this.refill(memoryMb);
    this.inspector?.onTake(spare);
    return spare;
  }

  private refill(memoryMb: number): void {
    if (this.#refilling.has(memoryMb)) return;
    this.#refilling.add(memoryMb);
    setImmediate(() => {
      this.#refilling.delete(memoryMb);
      const list = this.#spares.get(memoryMb) ?? [];
      this.#spares.set(memoryMb, list);
      if (list.length < this.depth) {
        list.push(createSpare(memoryMb, this.inspector !== undefined));
        this.refill(memoryMb);
      }
    }).unref();
  }

  dispose(): void {
    for (const list of this.#spares.values()) for (const spare of list) spare.isolate.dispose();
    this.#spares.clear();
  }
}

function measureFloor(): number {
  const { isolate, context, entries } = createSpare(8);
  try {
    isolate.compileScriptSync(`var __runlet_module = { default: async () => null };`).runSync(context);
    const settings = {
      account: "",
      name: "",
      version: 0,
      env: {},
      logLines: 1,
      logBytes: 1,
      responseBytes: 1,
    };
    entries.setup.applySync(undefined, [JSON.stringify(settings)], { timeout: 1000 });
    return footprintOf(isolate.getHeapStatisticsSync());
  } finally {
    isolate.dispose();
  }
}
