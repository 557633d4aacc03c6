import { InvalidArgumentError, type Command } from "commander";
import type { CliContext } from "../context.js";
import { ago, bytes, type Time } from "../format.js";
import type { IdleFunction } from "../../model/idle.js";
import type { Output } from "../output.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

export interface FunctionSummary {
  name: string;
  state: string;
  deployedVersion: number | null;
  latestVersion: number;
  style: string;
  updatedAt: Time;
}

/** `--idle 30d` (or `30`): whole days, 0 to 3650. */
export function daysArg(value: string): number {
  const match = /^(\d{1,4})d?$/.exec(value.trim());
  const days = match ? Number(match[1]) : NaN;
  if (!(days >= 0 && days <= 3650)) throw new InvalidArgumentError("expected days such as 30d (0d to 3650d)");
  return days;
}

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command("list")
    .alias("ls")
    .description(
      "list the account's functions (--idle 30d: those not invoked in 30 days, and what they hold)",
    )
    .option("--idle <days>", "only functions not invoked in this many days, e.g. 30d", daysArg)
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption & { idle?: number }) => {
      const out = ctx.output(options);
      const client = ctx.client();
      if (options.idle !== undefined) return listIdle(ctx, out, options.idle);
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

async function listIdle(ctx: CliContext, out: Output, days: number): Promise<void> {
  const client = ctx.client();
  const body = await client.json<{ idleDays: number; functions: IdleFunction[] }>(
    "GET",
    client.accountPath("functions"),
    { query: { idleDays: days } },
  );
  out.result(body, () => {
    if (body.functions.length === 0) return `no function has gone ${days} days without an invocation`;
    const rows = body.functions.map((f) => [
      f.name,
      f.state,
      `${f.idleDays}d`,
      f.lastInvokedAt ? ago(f.lastInvokedAt) : "never",
      f.holds.minInstances ? `${f.holds.minInstances} × ${f.holds.memoryMb} MB` : "-",
      String(f.holds.schedules),
      String(f.holds.subscriptions),
      `${f.holds.storage.versions} v, ${bytes(f.holds.storage.bytes)}`,
      String(f.cost.perMonth),
    ]);
    const undeploy = body.functions.find((f) => f.deployedVersion !== null);
    return [
      out.table(
        [
          "name",
          "state",
          "idle",
          "last invoked",
          "warm",
          "schedules",
          "subscriptions",
          "storage",
          "cost/month",
        ],
        rows,
      ),
      ...(undeploy ? ["", `free what one holds: runlet undeploy ${undeploy.name}`] : []),
    ].join("\n");
  });
}
