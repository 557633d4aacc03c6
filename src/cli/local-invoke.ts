import { existsSync } from "node:fs";
import path from "node:path";
import type { FunctionConfig } from "../store/records.js";
import { bundleFunction } from "./bundle.js";
import { CliError } from "./cli-error.js";
import type { CliContext } from "./context.js";
import { duration, timestamp } from "./format.js";
import type { Output } from "./output.js";
import { readProject } from "./project.js";

/**
 * `runlet invoke --local`: bundle the folder and run it in an isolate in this process, no server involved.
 * The folder is `dir` when given, else `./<name>` when it exists, else the current folder.
 */
export async function invokeLocally(
  ctx: CliContext,
  out: Output,
  name: string,
  payload: unknown,
  dir: string | undefined,
): Promise<void> {
  const cwd = ctx.io.cwd;
  const folder = path.resolve(cwd, dir ?? (existsSync(path.join(cwd, name)) ? name : "."));
  const project = readProject(folder, name);
  const bundle = await out.progress("bundling…", () => bundleFunction(project.entry, cwd));
  // Loaded on demand: the runtime pulls in isolated-vm, which only `--local` needs.
  const [{ invokeLocal }, { loadConfig }] = await Promise.all([
    import("../functions/local-invoke.js"),
    import("../config.js"),
  ]);
  const outcome = await invokeLocal({
    limits: loadConfig({}).limits,
    source: bundle.code,
    payload,
    config: project.config as Partial<FunctionConfig>,
    name,
  });
  if (out.json) {
    out.data(outcome);
  } else {
    for (const log of outcome.logs)
      ctx.io.err(`${timestamp(log.t, true)}  ${log.level.padEnd(5)}  ${log.msg}\n`);
    if (outcome.status === "succeeded" && outcome.result !== undefined) {
      out.line(typeof outcome.result === "string" ? outcome.result : JSON.stringify(outcome.result, null, 2));
    }
    out.note(`local ${outcome.style ?? "?"} invocation  ${outcome.status}  ${duration(outcome.durationMs)}`);
  }
  if (outcome.status !== "succeeded") {
    const error = outcome.error ?? { code: "RUNLET_ERR_FUNCTION_ERROR", message: outcome.status };
    throw new CliError(error.code, error.message, { printed: out.json });
  }
}
