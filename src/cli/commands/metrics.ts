import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { table } from "../format.js";
import { validateName } from "../project.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface MetricsOptions extends JsonOption {
  last?: string;
  start?: string;
  end?: string;
  buckets?: number;
  csv?: boolean;
}

const COLUMNS = ["succeeded", "codeFailure", "platformFailure", "timeout", "rejected"] as const;
type Counts = Record<(typeof COLUMNS)[number], number>;

interface MetricsAnswer {
  function: string;
  from: string;
  to: string;
  total: Counts;
  buckets: (Counts & { start: string; end: string })[];
}

const HEAD = ["start", "succeeded", "code failure", "platform failure", "timeout", "rejected"];

/** `runlet metrics <name> --last 7d [--buckets N] [--csv|--json]`: what `lpf metrics` shows. */
export function registerMetrics(program: Command, ctx: CliContext): void {
  program
    .command("metrics")
    .description(
      "a function's invocations by outcome over time (succeeded, code failure, platform failure, timeout)",
    )
    .argument("<name>", "function name")
    .option("--last <duration>", "the time before now, e.g. 1h, 24h, 7d, 30d (default 24h)")
    .option("--start <date>", "start, ISO 8601 or epoch ms (instead of --last)")
    .option("--end <date>", "end, ISO 8601 or epoch ms (default now)")
    .option("--buckets <n>", "how many time buckets (1-1000, default 24)", positiveInt)
    .option("--csv", "print CSV (one row per bucket)")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: MetricsOptions) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const query = { last: options.last, from: options.start, to: options.end, buckets: options.buckets };
      const body = await client.json<MetricsAnswer>("GET", client.functionPath(name, "metrics"), { query });
      if (options.csv && !options.json) {
        const rows = body.buckets.map((b) => [b.start, ...COLUMNS.map((c) => String(b[c]))]);
        ctx.io.out(
          `${[HEAD.map((h) => h.replace(/ /g, "_")), ...rows].map((r) => r.join(",")).join("\n")}\n`,
        );
        return;
      }
      out.result(body, () => {
        const rows = body.buckets.map((b) => [b.start, ...COLUMNS.map((c) => String(b[c]))]);
        rows.push(["total", ...COLUMNS.map((c) => String(body.total[c]))]);
        return `${body.function}: ${body.from} → ${body.to}\n${table(HEAD, rows)}`;
      });
    });
}
