import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { ago, fields, timestamp, type Time } from "../format.js";
import { validateName } from "../project.js";
import type { FunctionSummary } from "./list.js";
import { JSON_HELP, versionNumbers, type JsonOption } from "./shared.js";

export interface FunctionDetail extends FunctionSummary {
  config: Record<string, unknown>;
  createdAt: Time;
  versions: unknown[];
}

export function registerGet(program: Command, ctx: CliContext): void {
  program
    .command("get")
    .description("show a function: state, versions and configuration")
    .argument("<name>", "function name")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const fn = await client.json<FunctionDetail>("GET", client.functionPath(name));
      out.result(fn, () => describeFunction(fn));
    });
}

export function describeFunction(fn: FunctionDetail): string {
  const deployed = fn.deployedVersion === null ? "not deployed" : `version ${fn.deployedVersion}`;
  const versions = versionNumbers(fn.versions)
    .sort((a, b) => b - a)
    .map((v) => (v === fn.deployedVersion ? `${v} (deployed)` : String(v)));
  return fields([
    ["name", fn.name],
    ["state", `${fn.state}, ${deployed}, latest ${fn.latestVersion}`],
    ["style", fn.style ?? "-"],
    ["created", `${timestamp(fn.createdAt)} (${ago(fn.createdAt)})`],
    ["updated", `${timestamp(fn.updatedAt)} (${ago(fn.updatedAt)})`],
    ["versions", versions.join(", ") || "-"],
    ["config", formatConfig(fn.config ?? {})],
  ]);
}

/** `key value` pairs, nested values as compact JSON, one per line under the label. */
function formatConfig(config: Record<string, unknown>): string {
  const entries = Object.entries(config);
  if (entries.length === 0) return "-";
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries
    .map(([key, value], i) => `${i ? " ".repeat(10) : ""}${key.padEnd(width)}  ${JSON.stringify(value)}`)
    .join("\n");
}
