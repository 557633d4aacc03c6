import type ivm from "isolated-vm-types";
import isolatedVm from "./ivm.js";
import type { HostHooks } from "./host-hooks.js";
import { preludeSource } from "./prelude-source.js";
import { syncOp } from "./sync-bridge.js";

/** An isolate with its context and prelude ready, waiting for a function's module. */
export interface Spare {
  isolate: ivm.Isolate;
  context: ivm.Context;
  /** The host callbacks the prelude captured forward to these, set when the spare is taken. */
  target: { hooks?: HostHooks };
}

/** isolated-vm sets `cachedData` on compiled scripts; its typings omit it. */
export type CompiledScript = ivm.Script & ivm.CachedDataResult;

let preludeCache: ivm.ExternalCopy<ArrayBuffer> | undefined;

/** Creating the V8 heap is most of an isolate's start (≈1.3 ms); the prelude adds ≈0.3 ms. */
export function createSpare(memoryMb: number): Spare {
  const target: Spare["target"] = {};
  const isolate = new isolatedVm.Isolate({
    memoryLimit: Math.max(8, memoryMb),
    // Some allocations past the limit (a Map's backing store, a huge array copy) are a fatal V8 OOM that
    // would abort the whole process (isolated-vm issues #107, #527); with this hook isolated-vm reports it
    // instead, and the instance is written off without touching the isolate again.
    onCatastrophicError: (message) => target.hooks?.catastrophe?.(message),
  });
  try {
    const context = isolate.createContextSync();
    const bindings = {
      log: new isolatedVm.Callback(
        (id: string, level: string, msg: string) => target.hooks?.log(id, level, msg),
        {
          ignored: true,
        },
      ),
      setTimer: new isolatedVm.Callback((id: number, ms: number) => target.hooks?.setTimer(id, ms), {
        ignored: true,
      }),
      clearTimer: new isolatedVm.Callback((id: number) => target.hooks?.clearTimer(id), { ignored: true }),
      call: new isolatedVm.Callback(
        (activationId: string, callId: number, op: string, args: unknown) =>
          target.hooks?.call(activationId, callId, op, args),
        { ignored: true },
      ),
      done: new isolatedVm.Callback(
        (id: string, envelope: Parameters<HostHooks["done"]>[1]) => target.hooks?.done(id, envelope),
        {
          ignored: true,
        },
      ),
      // Synchronous, pure: URL parsing, random bytes, hashes (strings and bytes in, plain data out).
      sync: new isolatedVm.Callback(syncOp),
    };
    context.global.setSync(
      "__runlet_host",
      new isolatedVm.ExternalCopy(bindings).copyInto({ release: true }),
    );
    const options = { filename: "runlet:prelude.js" };
    const prelude: CompiledScript = isolate.compileScriptSync(preludeSource(), {
      ...options,
      ...(preludeCache ? { cachedData: preludeCache } : {}),
    });
    prelude.runSync(context, { timeout: 1000 });
    if (!preludeCache) {
      // Made after the first run, by compiling again in this isolate (V8's compilation cache answers): the
      // cache then also holds the functions the prelude's run compiled, so later isolates skip compiling
      // them (the run takes half as long).
      const again: CompiledScript = isolate.compileScriptSync(preludeSource(), {
        ...options,
        produceCachedData: true,
      });
      if (again.cachedData) preludeCache = again.cachedData;
    }
    return { isolate, context, target };
  } catch (err) {
    if (!isolate.isDisposed) isolate.dispose();
    throw err;
  }
}

/**
 * A few spares per memory size, made ahead on an idle turn, so a cold start only has to load the
 * function's own module. Only the sizes in use are kept, and at most `depth` of each.
 */
export class SparePool {
  #spares = new Map<number, Spare[]>();
  #refilling = new Set<number>();

  constructor(private readonly depth = 2) {}

  take(memoryMb: number): Spare {
    const spare = this.#spares.get(memoryMb)?.pop();
    this.refill(memoryMb);
    return spare ?? createSpare(memoryMb);
  }

  private refill(memoryMb: number): void {
    if (this.#refilling.has(memoryMb)) return;
    this.#refilling.add(memoryMb);
    setImmediate(() => {
      this.#refilling.delete(memoryMb);
      const list = this.#spares.get(memoryMb) ?? [];
      this.#spares.set(memoryMb, list);
      if (list.length < this.depth) {
        list.push(createSpare(memoryMb));
        this.refill(memoryMb);
      }
    }).unref();
  }

  dispose(): void {
    for (const list of this.#spares.values()) for (const spare of list) spare.isolate.dispose();
    this.#spares.clear();
  }
}

export const spares = new SparePool();
