import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface LoginOptions extends JsonOption {
  url: string;
  account: string;
  key?: string;
  keyFromEnv?: string;
}

interface WhoAmI {
  account: string;
  keyId: string;
  role: string;
}

/**
 * `runlet login`: checks a key against the server, then writes {url, account, key} to
 * ./.runlet/credentials.json (mode 0600), where every other command finds it.
 */
export function registerLogin(program: Command, ctx: CliContext): void {
  program
    .command("login")
    .description("check a key against a server and save it to .runlet/credentials.json for later commands")
    .option("--url <url>", "the server", "http://127.0.0.1:7070")
    .option("--account <name>", "the account the key belongs to", "default")
    .option("--key <key>", "the API key (lands in shell history: prefer --key-from-env)")
    .option("--key-from-env <var>", "take the key from this environment variable")
    .option("--json", JSON_HELP)
    .action(async (options: LoginOptions) => {
      const out = ctx.output(options);
      if ((options.key === undefined) === (options.keyFromEnv === undefined)) {
        throw usageError(
          "give the key once: --key KEY or --key-from-env VAR",
          "runlet login --key-from-env RUNLET_KEY",
        );
      }
      const key = options.key ?? ctx.io.env[options.keyFromEnv!];
      if (!key) throw usageError(`environment variable ${options.keyFromEnv} is not set`);
      let url: string;
      try {
        url = new URL(options.url).toString().replace(/\/+$/, "");
      } catch {
        throw usageError(`--url ${options.url} is not a URL`, "runlet login --url http://127.0.0.1:7070 ...");
      }
      const credentials = { url, account: options.account, key };
      const client = ctx.clientWith({ ...credentials, source: "runlet login" });
      const who = await client.json<WhoAmI>("GET", client.accountPath("whoami"));
      const dir = path.join(ctx.io.cwd, ".runlet");
      const file = path.join(dir, "credentials.json");
      await mkdir(dir, { recursive: true });
      await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
      out.result(
        { ...who, url, file },
        () => `logged in to ${url} as ${who.keyId} (${who.role} of ${who.account}); saved ${file}`,
      );
    });
}
