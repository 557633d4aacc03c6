import type ivm from "isolated-vm-types";
import type { HandlerStyle } from "../model/function.js";
import type { HostHooks } from "./host-hooks.js";
import type { CompiledScript, Entries, SparePool } from "./spares.js";

export interface BootOptions {
  code: string;
  account: string;
  name: string;
  version: number;
  env: Record<string, string>;
  memoryMb: number;
  logLines: number;
  logBytes: number;
  responseBytes: number;
  codeCache?: CodeCache;
  /** Where the isolate comes from: its owner's pool of ready isolates (one per scheduler). */
  spares: SparePool;
}

/** Per-version holder of V8's compiled-code cache: the first instance fills it, later ones start faster. */
export interface CodeCache {
  data?: ivm.ExternalCopy<ArrayBuffer>;
}

export interface Booted {
  isolate: ivm.Isolate;
  context: ivm.Context;
  style: HandlerStyle;
  batch: Entries["batch"];
  fire: Entries["fire"];
  reply: Entries["reply"];
  /** Open to V8's inspector: never disposed in this process (see Spare.inspector). */
  inspector: boolean;
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

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An error with its stack frames inside the isolate (source-map.ts maps them); the host's are cut. */
function isolateStack(err: unknown): string {
  const stack = err instanceof Error ? err.stack : undefined;
  return stack?.split("\n    at (<isolated-vm boundary>)")[0] ?? messageOf(err);
}

/** The gate's limits for an instance: the largest blob per host operation (sandbox/gate.ts). */
export interface GateLimits {
  blobs: [string, number][];
  argsChars: number;
}

/** Creates an isolate, runs the prelude and the function's module in it, and detects the handler style. */
export async function boot(options: BootOptions, hooks: HostHooks, limits: GateLimits): Promise<Booted> {
  const { isolate, context, target, entries, gate, inspector } = options.spares.take(options.memoryMb);
  target.hooks = hooks;
  try {
    // Before the function's module runs: from then on the isolate holds tenant code.
    await gate.apply(
      undefined,
      [
        limits.blobs.map(([op]) => op),
        limits.blobs.map(([, max]) => max),
        limits.argsChars,
        options.logBytes,
      ],
      { arguments: { copy: true }, timeout: 1000 },
    );
    gate.release();
    const cache = options.codeCache;
    const script: CompiledScript = await isolate.compileScript(options.code, {
      filename: `fn:${options.account}/${options.name}@${options.version}.js`,
      ...(cache?.data ? { cachedData: cache.data } : { produceCachedData: true }),
    });
    if (cache && !cache.data && script.cachedData) cache.data = script.cachedData;
    try {
      await script.run(context, { timeout: 1000 });
    } catch (err) {
      throw new ModuleLoadError(
        "RUNLET_ERR_MODULE_INIT",
        `the module threw while loading: ${isolateStack(err)}`,
      );
    }

    const settings = JSON.stringify({
      account: options.account,
      name: options.name,
      version: options.version,
      env: options.env,
      logLines: options.logLines,
      logBytes: options.logBytes,
      responseBytes: options.responseBytes,
    });
    let style: HandlerStyle;
    try {
      style = (await entries.setup.apply(undefined, [settings], {
        arguments: { copy: true },
        result: { copy: true },
        timeout: 1000,
      })) as HandlerStyle;
    } catch (err) {
      const message = messageOf(err);
      if (message.includes("no handler found")) {
        throw new ModuleLoadError("RUNLET_ERR_NO_HANDLER", message.replace(/^NoHandlerError: /, ""));
      }
      throw new ModuleLoadError("RUNLET_ERR_MODULE_INIT", `the module failed to set up: ${message}`);
    }
    // Only the host holds the entry points (spares.ts took them off the global before the module ran).
    const { batch, fire, reply } = entries;
    return { isolate, context, style, batch, fire, reply, inspector };
  } catch (err) {
    if (!inspector && !isolate.isDisposed) isolate.dispose();
    throw err;
  }
}
