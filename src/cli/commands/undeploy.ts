import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { validateName } from "../project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

export function registerUndeploy(program: Command, ctx: CliContext): void {
  program
    .command("undeploy")
    .description("stop serving a function (its versions are kept; rollback or deploy brings it back)")
    .argument("<name>", "function name")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const answer = await client.json<Record<string, unknown> | undefined>(
        "POST",
        client.functionPath(name, "undeploy"),
      );
      out.result(answer ?? { name, state: "undeployed" }, () => `undeployed ${name}`);
    });
}
