import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { ago, type Time } from "../format.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

export interface FunctionSummary {
  name: string;
  state: string;
  deployedVersion: number | null;
  latestVersion: number;
  style: string;
  updatedAt: Time;
}

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command("list")
    .alias("ls")
    .description("list the account's functions")
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const body = await client.json<{ functions: FunctionSummary[] }>(
        "GET",
        client.accountPath("functions"),
      );
      out.result(body, () => {
        if (body.functions.length === 0) return "no functions yet: create one with `runlet init hello`";
        const rows = body.functions.map((f) => [
          f.name,
          f.state,
          f.deployedVersion === null ? "-" : String(f.deployedVersion),
          String(f.latestVersion),
          f.style ?? "-",
          ago(f.updatedAt),
        ]);
        return out.table(["name", "state", "deployed", "latest", "style", "updated"], rows);
      });
    });
}
