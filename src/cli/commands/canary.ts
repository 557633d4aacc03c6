import { InvalidArgumentError, type Command } from "commander";
import type { Client } from "../client.js";
import type { CliContext } from "../context.js";
import type { Output } from "../output.js";
import { validateName } from "../project.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

/** A function's canary as the API answers it (`GET …/functions/{name}`, `POST …/deploy`). */
export interface CanaryView {
  version: number;
  percent: number;
  since: string;
  autoRollback: { maxErrorRate: number; minInvocations: number; windowMs: number } | null;
}

/** The canary options `runlet deploy` takes. */
export interface CanaryOptions {
  percent?: number;
  maxErrorRate?: number;
  minInvocations?: number;
  window?: string;
}

/** `--percent`: a share from 0 to 100 (fractions allowed); anything else is a usage error. */
export function percentArg(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError("expected a percent from 0 to 100, e.g. --percent 10");
  return n;
}

/** `--max-error-rate`: 0..1, or a percent written as 5%. */
export function rateArg(value: string): number {
  const n = value.endsWith("%") ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError("expected an error rate from 0 to 1 (or 0% to 100%), e.g. 0.05");
  return n;
}

export function addCanaryOptions(command: Command): Command {
  return command
    .option("--percent <n>", "run the version as a canary for this share of invocations (0-100)", percentArg)
    .option(
      "--max-error-rate <rate>",
      "with --percent: roll back by itself above the deployed version's error rate plus this",
      rateArg,
    )
    .option(
      "--min-invocations <n>",
      "with --max-error-rate: canary invocations before it is judged (default 20)",
      positiveInt,
    )
    .option("--window <duration>", "with --max-error-rate: how far back it is judged, e.g. 10m (default)");
}

/** POST …/deploy {version, percent, autoRollback} and says what now runs where. */
export async function deployCanary(
  client: Client,
  out: Output,
  name: string,
  version: number,
  options: CanaryOptions,
): Promise<void> {
  const autoRollback =
    options.maxErrorRate === undefined
      ? undefined
      : {
          maxErrorRate: options.maxErrorRate,
          ...(options.minInvocations !== undefined ? { minInvocations: options.minInvocations } : {}),
          ...(options.window !== undefined ? { window: options.window } : {}),
        };
  const answer = await client.json<{ deployedVersion: number | null; canary: CanaryView | null }>(
    "POST",
    client.functionPath(name, "deploy"),
    { body: { version, percent: options.percent, ...(autoRollback ? { autoRollback } : {}) } },
  );
  out.result({ name, ...answer }, () => {
    if (!answer.canary) return `${name} now runs version ${answer.deployedVersion}`;
    return [
      `${name} version ${answer.canary.version} runs as a canary for ${answer.canary.percent}% of invocations; version ${answer.deployedVersion} takes the rest`,
      ...(answer.canary.autoRollback
        ? [
            `  rolls back by itself above ${formatRate(answer.canary.autoRollback.maxErrorRate)} more errors than version ${answer.deployedVersion}`,
          ]
        : []),
      "next:",
      `  runlet get ${name}        # each version's invocations`,
      `  runlet promote ${name}    # make it the deployed version`,
      `  runlet rollback ${name}   # end the canary`,
    ].join("\n");
  });
}

export function formatRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

export function registerPromote(program: Command, ctx: CliContext): void {
  program
    .command("promote")
    .description("make a function's canary its deployed version (it takes every invocation)")
    .argument("<name>", "function name")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const answer = await client.json<{ deployedVersion: number }>(
        "POST",
        client.functionPath(name, "promote"),
      );
      out.result(
        { name, ...answer },
        () => `${name} now runs version ${answer.deployedVersion} for every invocation`,
      );
    });
}

/** `runlet rollback` of a function with a canary: ends the canary (POST …/rollback). */
export async function cancelCanary(
  client: Client,
  out: Output,
  name: string,
  canary: CanaryView,
): Promise<void> {
  const answer = await client.json<{ deployedVersion: number | null }>(
    "POST",
    client.functionPath(name, "rollback"),
  );
  out.result(
    { name, ...answer, rolledBack: canary.version },
    () =>
      `${name}: canary version ${canary.version} rolled back; version ${answer.deployedVersion} takes every invocation`,
  );
}
