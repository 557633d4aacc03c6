import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import type { Client } from "../client.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface BudgetView {
  function?: string;
  amount: number;
  thresholds: number[];
  hardLimit: boolean;
  webhookUrl?: string;
  webhookSecret?: string;
  period: string;
  spent: number;
  percent: number;
  exceeded: boolean;
}

interface AlertView {
  id: string;
  function?: string;
  period: string;
  threshold: number;
  amount: number;
  spent: number;
  createdAt: string;
  delivery?: { status: string; error?: string };
}

interface SetOptions extends JsonOption {
  amount: string;
  thresholds?: string;
  hardLimit?: boolean;
  webhook?: string;
}

function pathOf(client: Client, fn: string | undefined): string {
  return fn === undefined ? client.accountPath("budget") : client.functionPath(fn, "budget");
}

function render(b: BudgetView): string {
  const lines = [
    `${b.function ?? "account"}: spent ${b.spent} of ${b.amount} in ${b.period} (${b.percent} %)${b.exceeded ? ", exceeded" : ""}`,
    `  alerts at ${b.thresholds.map((t) => `${t} %`).join(", ")}${b.hardLimit ? "; refuses invocations once spent (hard limit)" : ""}`,
  ];
  if (b.webhookUrl) lines.push(`  webhook ${b.webhookUrl}, signed with ${b.webhookSecret ?? "?"}`);
  return lines.join("\n");
}

export function registerBudget(program: Command, ctx: CliContext): void {
  const budget = program
    .command("budget")
    .description("monthly budgets of the account or a function, in the cost units of runlet usage");

  budget
    .command("set")
    .description("set (replace) the account's budget, or a function's")
    .argument("[function]", "the function (default: the whole account)")
    .requiredOption("--amount <units>", "cost units per calendar month (UTC), as runlet usage prices them")
    .option("--thresholds <percents>", "alert at these percentages, comma-separated", "50,80,100")
    .option(
      "--hard-limit",
      "refuse invocations once the amount is spent, until the month ends or it is raised",
    )
    .option("--webhook <url>", "POST each alert here, signed (X-Runlet-Signature)")
    .option("--json", JSON_HELP)
    .action(async (fn: string | undefined, options: SetOptions) => {
      const out = ctx.output(options);
      const amount = Number(options.amount);
      if (!Number.isFinite(amount))
        throw usageError(`--amount must be a number, got ${options.amount}`, "--amount 25");
      const thresholds = (options.thresholds ?? "").split(",").map((t) => Number(t.trim()));
      if (thresholds.some((t) => !Number.isFinite(t)))
        throw usageError(`--thresholds must be numbers, got ${options.thresholds}`, "--thresholds 50,80,100");
      const client = ctx.client();
      const view = await client.json<BudgetView>("PUT", pathOf(client, fn), {
        body: {
          amount,
          thresholds,
          hardLimit: options.hardLimit === true,
          ...(options.webhook ? { webhookUrl: options.webhook } : {}),
        },
      });
      out.result(view, () => render(view));
    });

  budget
    .command("get")
    .description("the budget and this month's spend")
    .argument("[function]", "the function (default: the whole account)")
    .option("--json", JSON_HELP)
    .action(async (fn: string | undefined, options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const view = await client.json<BudgetView>("GET", pathOf(client, fn));
      out.result(view, () => render(view));
    });

  budget
    .command("delete")
    .description("remove the budget (its alerts stay listed)")
    .argument("[function]", "the function (default: the whole account)")
    .option("--json", JSON_HELP)
    .action(async (fn: string | undefined, options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      await client.json("DELETE", pathOf(client, fn));
      out.result({ deleted: fn ?? "account" }, () => `deleted the budget of ${fn ?? "the account"}`);
    });

  budget
    .command("alerts")
    .description("thresholds the budgets crossed, newest first, and how each webhook went")
    .option("--function <name>", "only this function's budget")
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption & { function?: string }) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const { alerts } = await client.json<{ alerts: AlertView[] }>("GET", client.accountPath("alerts"), {
        query: { function: options.function },
      });
      out.result({ alerts }, () =>
        alerts.length === 0
          ? "no alerts yet"
          : out.table(
              ["when", "budget", "threshold", "spent", "amount", "webhook"],
              alerts.map((a) => [
                a.createdAt,
                a.function ?? "account",
                `${a.threshold} %`,
                String(a.spent),
                String(a.amount),
                a.delivery ? `${a.delivery.status}${a.delivery.error ? ` (${a.delivery.error})` : ""}` : "-",
              ]),
            ),
      );
    });
}
