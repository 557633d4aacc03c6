import type { Limits } from "../config.js";
import { RunletError } from "../errors.js";
import { timeId } from "../ids.js";
import type { LogLine } from "../model/activation.js";
import type { FunctionConfig, HandlerStyle } from "../model/function.js";
import { compileModule } from "../runtime/compile.js";
import type { HostOps } from "../runtime/host-ops.js";
import { Instance, ModuleLoadError } from "../runtime/instance.js";
import { SparePool } from "../runtime/spares.js";
import { mapFrames, mapMessage, type MappedVersion } from "../runtime/source-map.js";
import { resolveConfig } from "./function-config.js";

export interface LocalResult {
  activationId: string;
  startedAt: number;
  status: string;
  result: unknown;
  error: { code: string; message: string } | null;
  logs: LogLine[];
  durationMs: number;
  style: HandlerStyle | null;
}

/**
 * `runlet invoke --local`: the same compile step and isolate runtime as the server, without a server.
 * Deploy-time errors (syntax, no handler) come back as a failed result, not a throw.
 */
export async function invokeLocal(opts: {
  source: string;
  payload: unknown;
  config?: Partial<FunctionConfig>;
  name?: string;
  /** The platform limits the function's config is resolved within (the CLI's configuration). */
  limits: Limits;
  /** What ctx.secrets, ctx.kv and the rest reach (the CLI gives a local kv and --secret values). */
  ops?: HostOps;
}): Promise<LocalResult> {
  const { limits } = opts;
  const name = opts.name ?? "local";
  let instance: Instance | undefined;
  const id = timeId("act_");
  const startedAt = Date.now();
  try {
    const config = resolveConfig(opts.config ?? {}, limits);
    const compiled = await compileModule({ source: opts.source }, { sourceMap: true });
    // Stack frames in the author's files, as on a server (version 0 of account "local").
    const mapped: MappedVersion = {
      account: "local",
      function: name,
      version: 0,
      digest: "local",
      ...compiled,
    };
    instance = await Instance.start({
      ...(opts.ops ? { ops: opts.ops } : {}),
      code: compiled.code,
      account: "local",
      name,
      version: 0,
      env: config.env,
      memoryMb: config.memoryMb,
      logLines: limits.logLines,
      logBytes: limits.logBytes,
      responseBytes: limits.responseBytes,
      spares: new SparePool(0),
    });
    const outcome = await instance.invoke(
      {
        id,
        deadline: startedAt + config.timeoutMs,
        event: {
          id,
          type: "runlet.local",
          source: `/fn/local/${name}`,
          time: new Date(startedAt).toISOString(),
          payload: opts.payload ?? null,
          headers: [],
        },
      },
      config.timeoutMs,
    );
    const succeeded = outcome.status === "succeeded";
    const logs = mapFrames(mapped, { logs: outcome.logs }).logs;
    const answer = succeeded ? outcome.answer : undefined;
    return {
      activationId: id,
      startedAt,
      status: outcome.status,
      result: answer?.kind === "json" ? JSON.parse(answer.body) : (answer ?? null),
      error: succeeded ? null : { code: outcome.code, message: mapMessage(mapped, outcome.message) },
      logs,
      durationMs: outcome.durationMs,
      style: instance.style,
    };
  } catch (err) {
    if (err instanceof RunletError || err instanceof ModuleLoadError) {
      return {
        activationId: id,
        startedAt,
        status: "rejected",
        result: null,
        error: { code: err.code, message: err.message },
        logs: [],
        durationMs: 0,
        style: null,
      };
    }
    throw err;
  } finally {
    instance?.dispose();
  }
}
