import { Command } from "commander";
import pkg from "../../package.json" with { type: "json" };
import { registerActivation } from "./commands/activation.js";
import { registerActivations } from "./commands/activations.js";
import { registerTrace } from "./commands/trace.js";
import { registerCompletion } from "./commands/completion.js";
import { registerWhoami } from "./commands/whoami.js";
import { addExamples } from "./examples.js";
import { registerAllowlist } from "./commands/allowlist.js";
import { registerFaults } from "./commands/faults.js";
import { registerReplay } from "./commands/replay.js";
import { registerSecrets } from "./commands/secrets.js";
import { registerUsage } from "./commands/usage.js";
import { registerBudget } from "./commands/budget.js";
import { registerDelete } from "./commands/delete.js";
import { registerDlq } from "./commands/dlq.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerDev } from "./commands/dev.js";
import { registerEvents } from "./commands/events.js";
import { registerGet } from "./commands/get.js";
import { registerInit } from "./commands/init.js";
import { registerInvoke } from "./commands/invoke.js";
import { registerKeys } from "./commands/keys.js";
import { registerLogin } from "./commands/login.js";
import { registerImport } from "./commands/import.js";
import { registerMetrics } from "./commands/metrics.js";
import { registerPull } from "./commands/pull.js";
import { registerList } from "./commands/list.js";
import { registerLogs } from "./commands/logs.js";
import { registerRollback } from "./commands/rollback.js";
import { registerPromote } from "./commands/canary.js";
import { registerUndeploy } from "./commands/undeploy.js";
import { registerVersions } from "./commands/versions.js";
import { CliContext } from "./context.js";
import { processIo, type Io } from "./io.js";
import { withSuggestions } from "./hints.js";
import { invocationOf, reportError } from "./report.js";

export type { Io } from "./io.js";

/**
 * Runs the `runlet` command line (`argv` without node and the script) and resolves with its exit code.
 * Never exits the process, so tests call it in-process with their own Io (and fetch).
 */
export async function main(argv: string[], io: Io = processIo(), fetchImpl?: typeof fetch): Promise<number> {
  const ctx = new CliContext(io, fetchImpl);
  try {
    await buildProgram(ctx).parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    return reportError(await withSuggestions(err, ctx, invocationOf(argv)), ctx, argv);
  }
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command("runlet")
    .description("Runlet: deploy and run JavaScript and TypeScript functions")
    .version(pkg.version, "-v, --version")
    .showSuggestionAfterError()
    // `runlet -v` is the CLI's version; after a command, `--version N` is that command's (deploy).
    .enablePositionalOptions()
    // Errors are thrown to main() and reported there, with a hint and the right exit code.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.out(text),
      writeErr: (text) => ctx.io.err(text),
      outputError: () => undefined,
    });
  for (const register of [
    registerInit,
    registerDeploy,
    registerInvoke,
    registerDev,
    registerLogs,
    registerList,
    registerGet,
    registerVersions,
    registerRollback,
    registerPromote,
    registerUndeploy,
    registerDelete,
    registerActivations,
    registerActivation,
    registerTrace,
    registerDlq,
    registerEvents,
    registerUsage,
    registerBudget,
    registerSecrets,
    registerAllowlist,
    registerFaults,
    registerReplay,
    registerKeys,
    registerLogin,
    registerImport,
    registerPull,
    registerMetrics,
    registerWhoami,
    registerCompletion,
  ]) {
    register(program, ctx);
  }
  addExamples(program);
  program.addHelpText(
    "after",
    "\nWith npm: npx runlet <command> (npm install puts no runlet on the PATH).\n",
  );
  return program;
}
