import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { readJsonInput } from "../json-input.js";
import { validateName } from "../project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface Rule {
  target: string;
  kind: string;
  status?: number;
  delayMs?: number;
  rate: number;
}
interface ProfileView {
  name: string;
  rules: Rule[];
  updatedAt: string;
}

const EXAMPLE = '{"target":"fetch:api.example.com","kind":"error"}';

function renderRule(r: Rule): string {
  const extra = r.status !== undefined ? ` ${r.status}` : r.delayMs !== undefined ? ` ${r.delayMs} ms` : "";
  return `${r.target}  ${r.kind}${extra}${r.rate < 1 ? `  (${Math.round(r.rate * 100)} % of calls)` : ""}`;
}

function render(p: ProfileView): string {
  return [`${p.name}  (updated ${p.updatedAt})`, ...p.rules.map((r) => `  ${renderRule(r)}`)].join("\n");
}

/** The rules `set` sends: each --rule as one JSON object, or --data / --data-file as an array or {rules}. */
function rulesOf(options: { rule?: string[]; data?: string; dataFile?: string }, cwd: string): unknown[] {
  if (options.rule?.length) {
    if (options.data !== undefined || options.dataFile !== undefined) {
      throw usageError("use either --rule or --data/--data-file, not both");
    }
    return options.rule.map((text) => JSON.parse(readJsonInput({ data: text }, cwd, EXAMPLE)) as unknown);
  }
  if (options.data === undefined && options.dataFile === undefined) {
    throw usageError(
      "give the profile's rules",
      `e.g. runlet faults set api-down --rule '${EXAMPLE}', or --data-file rules.json`,
    );
  }
  const value = JSON.parse(readJsonInput(options, cwd, `[${EXAMPLE}]`)) as unknown;
  return Array.isArray(value) ? value : ((value as { rules?: unknown[] })?.rules ?? [value]);
}

export function registerFaults(program: Command, ctx: CliContext): void {
  const faults = program
    .command("faults")
    .description(
      "fault profiles: make fetch, ctx.invoke or ctx.kv fail for invocations sent with runlet invoke --faults <profile>",
    );

  faults
    .command("list")
    .description("the account's fault profiles")
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const { profiles } = await client.json<{ profiles: ProfileView[] }>(
        "GET",
        client.accountPath("faults"),
      );
      out.result(profiles, () =>
        profiles.length === 0
          ? `no fault profiles (create one with: runlet faults set api-down --rule '${EXAMPLE}')`
          : profiles.map(render).join("\n"),
      );
    });

  faults
    .command("get")
    .description("one profile's rules")
    .argument("<profile>", "profile name")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const profile = await client.json<ProfileView>("GET", client.accountPath("faults", name));
      out.result(profile, () => render(profile));
    });

  faults
    .command("set")
    .description(
      'create or replace a profile; targets "fetch:<host>" (error, status, delay), "invoke:<function>" (timeout, error), "kv" (unavailable)',
    )
    .argument("<profile>", "profile name")
    .option("--rule <json>", `a rule as JSON, e.g. '${EXAMPLE}' (repeatable)`, collect, [])
    .option("-d, --data <json>", "all rules as a JSON array (or {rules: [...]})")
    .option("--data-file <file>", "read the rules from a JSON file")
    .option("--json", JSON_HELP)
    .action(
      async (name: string, options: JsonOption & { rule?: string[]; data?: string; dataFile?: string }) => {
        const out = ctx.output(options);
        validateName(name);
        const rules = rulesOf(options, ctx.io.cwd);
        const client = ctx.client();
        const profile = await client.json<ProfileView>("PUT", client.accountPath("faults", name), {
          body: { rules },
        });
        out.note(`apply it with: runlet invoke <function> --faults ${name}`);
        out.result(profile, () => render(profile));
      },
    );

  faults
    .command("delete")
    .description("delete a profile")
    .argument("<profile>", "profile name")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      await client.request("DELETE", client.accountPath("faults", name));
      out.result({ deleted: name }, () => `deleted fault profile ${name}`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
