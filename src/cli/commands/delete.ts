import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { validateName } from "../project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface DeleteOptions extends JsonOption {
  yes?: boolean;
}

export function registerDelete(program: Command, ctx: CliContext): void {
  program
    .command("delete")
    .description("delete a function and all its versions")
    .argument("<name>", "function name")
    .option("-y, --yes", "delete without asking (needed when stdin is not a terminal: scripts, CI)")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: DeleteOptions) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      if (!options.yes) {
        const confirm = ctx.io.confirm;
        if (!confirm) {
          throw usageError(
            `deleting ${name} needs confirmation, and nobody can answer here`,
            `runlet delete ${name} --yes`,
          );
        }
        if (!(await confirm(`delete function ${name} and all its versions?`))) {
          return out.result({ name, deleted: false }, () => "not deleted");
        }
      }
      await client.request("DELETE", client.functionPath(name));
      out.result({ name, deleted: true }, () => `deleted ${name}`);
    });
}
