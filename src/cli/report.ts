import { CommanderError } from "commander";
import { CliError, USAGE_EXIT } from "./cli-error.js";
import { painter } from "./color.js";
import type { CliContext } from "./context.js";
import { cliHint, cliMessage, type Invocation } from "./hints.js";

/** Commander's ways of ending that are not failures. */
const CLEAN_EXITS = new Set(["commander.helpDisplayed", "commander.version"]);

/**
 * Prints a failure as `runlet: <message>` plus a hint on stderr (and `{"error": …}` on stdout with --json)
 * and returns the exit code: 2 for a command line that could not be understood, 1 for everything else.
 */
export function reportError(err: unknown, ctx: CliContext, argv: readonly string[]): number {
  const at = invocationOf(argv);
  if (err instanceof CommanderError) {
    if (CLEAN_EXITS.has(err.code)) return 0;
    // `runlet` alone: commander has printed the help.
    if (err.code === "commander.help") return USAGE_EXIT;
    const message = err.message
      .replace(/^error: /, "")
      .replace(/\n\(Did you mean (.+)\?\)/, " (did you mean $1?)");
    const command = argv.find((arg) => !arg.startsWith("-"));
    const help =
      command && err.code !== "commander.unknownCommand" ? `runlet ${command} --help` : "runlet --help";
    return print(
      ctx,
      new CliError("RUNLET_ERR_BAD_REQUEST", message, { hint: `see ${help}`, exitCode: USAGE_EXIT }),
      at,
    );
  }
  if (err instanceof CliError) return print(ctx, err, at);
  const message = err instanceof Error ? err.message : String(err);
  return print(
    ctx,
    new CliError("RUNLET_ERR_PLATFORM", message, { hint: "this looks like a bug in the CLI" }),
    at,
  );
}

/** The command (`secrets set`) and its first argument, read from the command line as typed. */
export function invocationOf(argv: readonly string[]): Invocation {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  const nested = new Set(["secrets", "allowlist", "keys", "dlq", "events", "completion"]);
  const depth = words[0] !== undefined && nested.has(words[0]) ? 2 : 1;
  return { command: words.slice(0, depth).join(" "), name: words[depth] };
}

function print(ctx: CliContext, err: CliError, at: Invocation): number {
  if (ctx.json && !err.printed) {
    const error: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.activationId !== undefined) error.activationId = err.activationId;
    ctx.io.out(`${JSON.stringify({ error }, null, 2)}\n`);
  }
  const paint = painter(ctx.io.color?.err === true);
  const lines = [`${paint("red", "runlet:")} ${cliMessage(err.message)}`];
  if (err.activationId !== undefined) lines.push(`  activation: ${err.activationId}`);
  const fix = err.hint ?? cliHint(err.code, at) ?? err.fix;
  if (fix !== undefined) lines.push(`  hint: ${fix}`);
  ctx.io.err(`${lines.join("\n")}\n`);
  return err.exitCode;
}
