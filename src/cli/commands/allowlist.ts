import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface AllowlistView {
  domains: string[];
  updatedAt: string | null;
}

function render(list: AllowlistView): string {
  return list.domains.length === 0
    ? "the allowlist is empty: functions cannot fetch anything (add hosts with: runlet allowlist add api.example.com)"
    : list.domains.join("\n");
}

export function registerAllowlist(program: Command, ctx: CliContext): void {
  const allowlist = program
    .command("allowlist")
    .description("hosts the account's functions may fetch (*.example.com matches every subdomain)");

  allowlist
    .command("list")
    .description("the allowed hosts")
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const list = await client.json<AllowlistView>("GET", client.accountPath("allowlist"));
      out.result(list, () => render(list));
    });

  allowlist
    .command("add")
    .description("allow hosts (the server checks and normalises them)")
    .argument("<domains...>", "host names like api.example.com or *.example.com")
    .option("--json", JSON_HELP)
    .action(async (domains: string[], options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const current = await client.json<AllowlistView>("GET", client.accountPath("allowlist"));
      const list = await client.json<AllowlistView>("PUT", client.accountPath("allowlist"), {
        body: { domains: [...current.domains, ...domains] },
      });
      out.result(list, () => render(list));
    });

  allowlist
    .command("remove")
    .description("stop allowing hosts")
    .argument("<domains...>", "entries as `runlet allowlist list` shows them")
    .option("--json", JSON_HELP)
    .action(async (domains: string[], options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const current = await client.json<AllowlistView>("GET", client.accountPath("allowlist"));
      const drop = new Set(domains.map((d) => d.trim().toLowerCase().replace(/\.$/, "")));
      const missing = [...drop].filter((d) => !current.domains.includes(d));
      const list = await client.json<AllowlistView>("PUT", client.accountPath("allowlist"), {
        body: { domains: current.domains.filter((d) => !drop.has(d)) },
      });
      if (missing.length) out.note(`not on the allowlist: ${missing.join(", ")}`);
      out.result(list, () => render(list));
    });
}
