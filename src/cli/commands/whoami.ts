import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { resolveCredentials } from "../credentials.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface WhoAmI {
  account: string;
  keyId: string;
  role: string;
}

/** `runlet whoami`: which server, account, key and role the other commands act as, and where that came from. */
export function registerWhoami(program: Command, ctx: CliContext): void {
  program
    .command("whoami")
    .description("show the server, account, key and role the CLI acts as")
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption) => {
      const out = ctx.output(options);
      const credentials = resolveCredentials(ctx.io.env, ctx.io.cwd);
      const client = ctx.client();
      const who = await client.json<WhoAmI>("GET", client.accountPath("whoami"));
      const answer = { ...who, url: credentials.url, credentials: credentials.source };
      out.result(answer, () =>
        [
          `${who.keyId} (${who.role}) in account ${who.account} at ${credentials.url}`,
          `credentials from ${credentials.source}`,
        ].join("\n"),
      );
    });
}
