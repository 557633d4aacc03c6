import type { Limits } from "../config.js";
import { RunletError } from "../errors.js";
import { timeId } from "../ids.js";
import type { LogLine } from "../model/activation.js";
import type { FunctionConfig, HandlerStyle } from "../model/function.js";
import { compileSource } from "../runtime/compile.js";
import { Instance, ModuleLoadError } from "../runtime/instance.js";
import { resolveConfig } from "./function-config.js";

export interface LocalResult {
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
}): Promise<LocalResult> {
  const { limits } = opts;
  const name = opts.name ?? "local";
  let instance: Instance | undefined;
  try {
    const config = resolveConfig(opts.config ?? {}, limits);
    const code = await compileSource({ source: opts.source });
    instance = await Instance.start({
      code,
      account: "local",
      name,
      version: 0,
      env: config.env,
      memoryMb: config.memoryMb,
      logLines: limits.logLines,
      logBytes: limits.logBytes,
      responseBytes: limits.responseBytes,
    });
    const id = timeId("act_");
    const startedAt = Date.now();
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
    const answer = succeeded ? outcome.answer : undefined;
    return {
      status: outcome.status,
      result: answer?.kind === "json" ? JSON.parse(answer.body) : (answer ?? null),
      error: succeeded ? null : { code: outcome.code, message: outcome.message },
      logs: outcome.logs,
      durationMs: outcome.durationMs,
      style: instance.style,
    };
  } catch (err) {
    if (err instanceof RunletError || err instanceof ModuleLoadError) {
      return {
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
