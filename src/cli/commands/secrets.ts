import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { ago } from "../format.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface SecretView {
  name: string;
  createdAt: string;
  updatedAt: string;
}

interface SetOptions extends JsonOption {
  fromEnv?: string;
  fromFile?: string;
}

/** The value from exactly one source; a value on the command line lands in shell history, so others exist. */
async function secretValue(ctx: CliContext, value: string | undefined, options: SetOptions): Promise<string> {
  const given = [value !== undefined, options.fromEnv !== undefined, options.fromFile !== undefined];
  if (given.filter(Boolean).length !== 1) {
    throw usageError(
      "give the secret's value once: as an argument, --from-env VAR or --from-file FILE",
      "runlet secrets set API_TOKEN --from-env API_TOKEN",
    );
  }
  if (value !== undefined) return value;
  if (options.fromEnv !== undefined) {
    const fromEnv = ctx.io.env[options.fromEnv];
    if (fromEnv === undefined) throw usageError(`environment variable ${options.fromEnv} is not set`);
    return fromEnv;
  }
  const file = path.resolve(ctx.io.cwd, options.fromFile!);
  try {
    // One trailing newline is what editors and `echo` add; it is not part of the secret.
    return (await readFile(file, "utf8")).replace(/\r?\n$/, "");
  } catch (err) {
    throw usageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

export function registerSecrets(program: Command, ctx: CliContext): void {
  const secrets = program.command("secrets").description("the account's secrets (values are never shown)");

  secrets
    .command("set")
    .description("create or replace a secret; functions read it with ctx.secrets.get(name)")
    .argument("<name>", "1-100 letters, digits, _ or -")
    .argument("[value]", "the value (or use --from-env / --from-file, which stay out of shell history)")
    .option("--from-env <var>", "take the value from this environment variable")
    .option("--from-file <file>", "take the value from this file (one trailing newline is dropped)")
    .option("--json", JSON_HELP)
    .action(async (name: string, value: string | undefined, options: SetOptions) => {
      const out = ctx.output(options);
      const secret = await secretValue(ctx, value, options);
      const client = ctx.client();
      const answer = await client.json<SecretView>("PUT", client.accountPath("secrets", name), {
        body: { value: secret },
      });
      out.result(answer, () => `set secret ${answer.name}`);
    });

  secrets
    .command("list")
    .description("secret names and when they were set")
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const body = await client.json<{ secrets: SecretView[] }>("GET", client.accountPath("secrets"));
      out.result(body, () =>
        body.secrets.length === 0
          ? "no secrets (add one with: runlet secrets set NAME --from-env VAR)"
          : out.table(
              ["NAME", "CREATED", "UPDATED"],
              body.secrets.map((s) => [s.name, ago(s.createdAt), ago(s.updatedAt)]),
            ),
      );
    });

  secrets
    .command("delete")
    .description("delete a secret")
    .argument("<name>", "secret name")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      await client.request("DELETE", client.accountPath("secrets", name));
      out.result({ name, deleted: true }, () => `deleted secret ${name}`);
    });
}
