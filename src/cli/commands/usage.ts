import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";

import { JSON_HELP, type JsonOption } from "./shared.js";

interface UsageOptions extends JsonOption {
  from?: string;
  to?: string;
  groupBy?: "function" | "day" | "day,function";
}

interface UsageRow {
  key: string;
  invocations: number;
  errors: number;
  billedMs: number;
  gbSeconds: number;
  cost: number;
}

interface UsageAnswer {
  from: string;
  to: string;
  total: UsageRow;
  groupBy?: string;
  groups?: UsageRow[];
}

function cells(row: UsageRow): string[] {
  return [
    row.key,
    String(row.invocations),
    String(row.errors),
    String(row.billedMs),
    row.gbSeconds.toFixed(3),
    `$${row.cost.toFixed(6)}`,
  ];
}

export function registerUsage(program: Command, ctx: CliContext): void {
  program
    .command("usage")
    .description("what the account's functions used and cost (default: the last 30 days)")
    .option("--from <date>", "start, ISO 8601 or epoch ms")
    .option("--to <date>", "end (exclusive), ISO 8601 or epoch ms")
    .addOption(
      new Option(
        "-g, --group-by <what>",
        "one row per function, per UTC day, or per day and function",
      ).choices(["function", "day", "day,function"]),
    )
    .option("--json", JSON_HELP)
    .action(async (options: UsageOptions) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const query = { from: options.from, to: options.to, groupBy: options.groupBy };
      const body = await client.json<UsageAnswer>("GET", client.accountPath("usage"), { query });
      out.result(body, () => {
        const rows = [...(body.groups ?? []).map(cells), cells({ ...body.total, key: "total" })];
        const head = [options.groupBy ?? "", "invocations", "errors", "billed ms", "GB-s", "cost"];
        return `${body.from} → ${body.to}\n${out.table(head, rows)}`;
      });
    });
}
