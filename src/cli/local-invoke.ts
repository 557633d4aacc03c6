import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { FunctionConfig } from "../model/function.js";
import { bundleFunction } from "./bundle.js";
import { CliError, usageError } from "./cli-error.js";
import type { CliContext } from "./context.js";
import { duration, timestamp } from "./format.js";
import { invocationReport, type InvocationReport } from "./invocation-report.js";
import type { Output } from "./output.js";
import { readConfigFile, readProject } from "./project.js";

export interface LocalOptions {
  /** --secret K=V, repeated. */
  secret?: string[];
  secretsFile?: string;
}

/**
 * The folder to run: `dir` when given (it must exist), else `./<name>`, else the current folder when its
 * runlet.json names this function. Anything else is refused rather than running some other code.
 */
function folderOf(cwd: string, name: string, dir: string | undefined): string {
  if (dir !== undefined) {
    const folder = path.resolve(cwd, dir);
    if (!existsSync(folder)) {
      throw new CliError("RUNLET_ERR_BAD_REQUEST", `no such folder: ${folder}`, {
        hint: `pass the function's folder: runlet invoke ${name} --local path/to/${name}`,
      });
    }
    return folder;
  }
  if (existsSync(path.join(cwd, name))) return path.join(cwd, name);
  if (readConfigFile(cwd).name === name) return cwd;
  throw new CliError(
    "RUNLET_ERR_BAD_REQUEST",
    `no folder ./${name} here, and ./runlet.json does not name ${name}`,
    {
      hint: `pass the folder: runlet invoke ${name} --local path/to/${name} (or run it from inside the folder)`,
    },
  );
}

/** --secret K=V values and a --secrets-file (a JSON object, or KEY=VALUE lines like a .env file). */
function localSecrets(cwd: string, options: LocalOptions): Map<string, string> {
  const secrets = new Map<string, string>();
  if (options.secretsFile !== undefined) {
    const file = path.resolve(cwd, options.secretsFile);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw usageError(`cannot read ${options.secretsFile}: ${(err as Error).message}`);
    }
    if (text.trimStart().startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw usageError(
          `${options.secretsFile} is not valid JSON: ${(err as Error).message}`,
          '{"API_TOKEN": "dev-token"}',
        );
      }
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>))
        secrets.set(key, String(value));
    } else {
      for (const line of text.split(/\r?\n/)) {
        const m = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line);
        if (m && !line.trimStart().startsWith("#")) secrets.set(m[1]!, m[2]!.replace(/^(['"])(.*)\1$/, "$2"));
      }
    }
  }
  for (const pair of options.secret ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw usageError(`--secret ${pair} is not KEY=VALUE`, "--secret API_TOKEN=dev-token");
    secrets.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return secrets;
}

/**
 * `runlet invoke --local`: bundle the folder and run it in an isolate in this process, no server involved.
 * ctx.secrets reads the --secret values; ctx.kv is a real context store kept in `<folder>/.runlet/local.db`.
 */
export async function invokeLocally(
  ctx: CliContext,
  out: Output,
  name: string,
  payload: unknown,
  dir: string | undefined,
  options: LocalOptions = {},
): Promise<void> {
  const cwd = ctx.io.cwd;
  const folder = folderOf(cwd, name, dir);
  const project = readProject(folder, name);
  const secrets = localSecrets(cwd, options);
  const bundle = await out.progress("bundling…", () => bundleFunction(project.entry, cwd));
  // Loaded on demand: the runtime pulls in isolated-vm and SQLite, which only `--local` needs.
  const [
    { invokeLocal },
    { HostOps },
    { openStore },
    { KvStore },
    { registerKvOps },
    { loadConfig },
    { SECRET_VALUE },
  ] = await Promise.all([
    import("../functions/local-invoke.js"),
    import("../runtime/host-ops.js"),
    import("../store/open-store.js"),
    import("../kv/kv-store.js"),
    import("../kv/kv-ops.js"),
    import("../config.js"),
    import("../security/secrets-ops.js"),
  ]);
  await mkdir(path.join(folder, ".runlet"), { recursive: true });
  const store = await openStore(`sqlite:${path.join(folder, ".runlet", "local.db")}`);
  let report: InvocationReport;
  try {
    if (!(await store.accounts.get("local")))
      await store.accounts.create({ name: "local", createdAt: Date.now() });
    const { limits } = loadConfig({});
    const ops = new HostOps();
    registerKvOps(ops, new KvStore(store, { maxKeys: limits.kvMaxKeys }));
    ops.register(
      "secrets.get",
      async (_caller, args) => secrets.get(String((args as { key?: unknown })?.key)) ?? null,
    );
    ops.register(
      "secrets.set",
      async (_caller, args) => {
        const { key, value } = (args ?? {}) as { key?: unknown; value?: unknown };
        secrets.set(String(key), String(value));
        return null;
      },
      SECRET_VALUE,
    );
    const outcome = await invokeLocal({
      limits,
      source: bundle.code,
      payload,
      config: project.config as Partial<FunctionConfig>,
      name,
      ops,
    });
    report = invocationReport({
      activationId: outcome.activationId,
      function: name,
      status: outcome.status,
      startedAt: outcome.startedAt,
      durationMs: outcome.durationMs,
      coldStart: true,
      result: outcome.result,
      error: outcome.error,
      logs: outcome.logs,
    });
    if (!out.json) {
      for (const log of outcome.logs)
        ctx.io.err(`${timestamp(log.t, true)}  ${log.level.padEnd(5)}  ${log.msg}\n`);
      if (outcome.status === "succeeded" && outcome.result !== undefined) {
        out.line(
          typeof outcome.result === "string" ? outcome.result : JSON.stringify(outcome.result, null, 2),
        );
      }
      out.note(
        `local ${outcome.style ?? "?"} invocation  ${outcome.status}  ${duration(outcome.durationMs)}`,
      );
    }
  } finally {
    await store.close();
  }
  if (out.json) out.data(report);
  if (report.status !== "succeeded") {
    const error = report.error ?? { code: "RUNLET_ERR_FUNCTION_ERROR", message: report.status };
    throw new CliError(error.code, error.message, { printed: out.json });
  }
}
