import { Option, type Command } from "commander";
import { FINAL_STATUSES } from "../../outcomes.js";
import type { CliContext } from "../context.js";
import { duration, table, timestamp, type Time } from "../format.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface ActivationsOptions extends JsonOption {
  function?: string;
  status?: string;
  limit?: number;
}

interface ActivationSummary {
  id: string;
  function: string;
  version: number;
  trigger: string;
  status: string;
  durationMs: number;
  billedMs: number;
  coldStart: boolean;
  startedAt: Time;
}

export function registerActivations(program: Command, ctx: CliContext): void {
  program
    .command("activations")
    .description("list recent invocations, newest first")
    .option("-f, --function <name>", "only this function's")
    .addOption(
      new Option("-s, --status <status>", "only those that ended so").choices([
        ...FINAL_STATUSES,
        "queued",
        "running",
      ]),
    )
    .option("-n, --limit <n>", "how many", positiveInt)
    .option("--json", JSON_HELP)
    .action(async (options: ActivationsOptions) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const query = { function: options.function, status: options.status, limit: options.limit };
      const body = await client.json<{ activations: ActivationSummary[] }>(
        "GET",
        client.accountPath("activations"),
        {
          query,
        },
      );
      out.result(body, () => {
        if (body.activations.length === 0) return "no activations yet";
        const rows = body.activations.map((a) => [
          a.id,
          a.function,
          String(a.version),
          a.trigger,
          a.status,
          duration(a.durationMs),
          duration(a.billedMs),
          a.coldStart ? "cold" : "",
          timestamp(a.startedAt),
        ]);
        return table(
          ["id", "function", "version", "trigger", "status", "duration", "billed", "start", "started"],
          rows,
        );
      });
    });
}
