import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { ago } from "../format.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface KeyView {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program.command("keys").description("the account's API keys (needs an admin key)");

  keys
    .command("create")
    .description("create a key; it is printed once and cannot be shown again")
    .argument("<name>", "what the key is for, like ci or billing-service")
    .addOption(
      new Option("-r, --role <role>", "what the key may do")
        .choices(["admin", "developer", "invoker"])
        .default("invoker"),
    )
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption & { role: string }) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const key = await client.json<KeyView & { key: string }>("POST", client.accountPath("keys"), {
        body: { name, role: options.role },
      });
      out.result(key, () => `created ${key.role} key ${key.id} (${key.name}):\n${key.key}`);
      out.note("store it now: it is not shown again (OAuth2 client_id is the id, client_secret the key)");
    });

  keys
    .command("list")
    .description("keys with their role and last use (never the keys themselves)")
    .option("--all", "include revoked keys")
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption & { all?: boolean }) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const body = await client.json<{ keys: KeyView[] }>("GET", client.accountPath("keys"));
      const shown = options.all ? body.keys : body.keys.filter((k) => k.revokedAt === null);
      out.result({ keys: shown }, () =>
        out.table(
          ["ID", "NAME", "ROLE", "CREATED", "LAST USED", ...(options.all ? ["REVOKED"] : [])],
          shown.map((k) => [
            k.id,
            k.name,
            k.role,
            ago(k.createdAt),
            k.lastUsedAt ? ago(k.lastUsedAt) : "never",
            ...(options.all ? [k.revokedAt ? ago(k.revokedAt) : ""] : []),
          ]),
        ),
      );
    });

  keys
    .command("revoke")
    .description("revoke a key: it and the access tokens issued to it stop working")
    .argument("<id>", "the key's id (key_…), from runlet keys list")
    .option("--json", JSON_HELP)
    .action(async (id: string, options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      await client.request("DELETE", client.accountPath("keys", id));
      out.result({ id, revoked: true }, () => `revoked ${id}`);
    });
}
