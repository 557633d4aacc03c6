import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { validateName } from "../project.js";
import { cancelCanary } from "./canary.js";
import type { FunctionDetail } from "./get.js";
import { JSON_HELP, positiveInt, versionNumbers, type JsonOption } from "./shared.js";

interface RollbackOptions extends JsonOption {
  to?: number;
}

interface DeployResponse {
  name?: string;
  version?: number;
  deployedVersion?: number | null;
  state?: string;
}

export function registerRollback(program: Command, ctx: CliContext): void {
  program
    .command("rollback")
    .description("end a canary, else deploy an older version (by default the one below the deployed one)")
    .argument("<name>", "function name")
    .option("--to <version>", "the version to deploy", positiveInt)
    .option("--json", JSON_HELP)
    .action(async (name: string, options: RollbackOptions) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const fn = await client.json<FunctionDetail>("GET", client.functionPath(name));
      if (fn.canary && options.to === undefined) return cancelCanary(client, out, name, fn.canary);
      const target = options.to ?? previousVersion(fn);
      const answer = await client.json<DeployResponse | undefined>(
        "POST",
        client.functionPath(name, "deploy"),
        {
          body: { version: target },
        },
      );
      const deployed = answer?.deployedVersion ?? answer?.version ?? target;
      const result = { ...answer, name, deployedVersion: deployed, previousVersion: fn.deployedVersion };
      out.result(result, () => {
        const was = fn.deployedVersion === null ? "was not deployed" : `was ${fn.deployedVersion}`;
        return `${name} now runs version ${deployed} (${was})`;
      });
    });
}

/** The highest kept version below the deployed one. */
function previousVersion(fn: FunctionDetail): number {
  const current = fn.deployedVersion;
  if (current === null) {
    throw new CliError(
      "RUNLET_ERR_NOT_DEPLOYED",
      `${fn.name} is not deployed, so there is nothing to roll back`,
      {
        hint: `pick a version with --to (see runlet versions ${fn.name})`,
      },
    );
  }
  const kept = versionNumbers(fn.versions);
  const below = (kept.length > 0 ? kept : [current - 1]).filter((v) => v < current && v > 0);
  if (below.length === 0) {
    throw new CliError(
      "RUNLET_ERR_VERSION_NOT_FOUND",
      `${fn.name} has no version below ${current} to roll back to`,
      {
        hint: `see runlet versions ${fn.name}`,
      },
    );
  }
  return Math.max(...below);
}
