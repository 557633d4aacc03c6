import { Option, type Command } from "commander";
import { FINAL_STATUSES } from "../../outcomes.js";
import type { CliContext } from "../context.js";
import type { Output } from "../output.js";
import { duration, timestamp, type Time } from "../format.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface ActivationsOptions extends JsonOption {
  function?: string;
  status?: string;
  limit?: number;
  follow?: boolean;
  interval?: number;
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
  attempts?: number;
}

const HEADER = ["id", "function", "version", "trigger", "status", "duration", "billed", "start", "started"];

function row(a: ActivationSummary): string[] {
  return [
    a.id,
    a.function,
    String(a.version),
    a.trigger,
    a.status,
    duration(a.durationMs),
    duration(a.billedMs),
    a.coldStart ? "cold" : "",
    timestamp(a.startedAt),
  ];
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
    .option("-F, --follow", "keep printing activations as they start and end (Ctrl-C to stop)")
    .option("--interval <ms>", "how often --follow asks the server (default 1000)", positiveInt)
    .option("--json", `${JSON_HELP} (one object per line with --follow)`)
    .action(async (options: ActivationsOptions) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const query = { function: options.function, status: options.status, limit: options.limit };
      if (options.follow) return follow(ctx, out, query, options.interval ?? 1000);
      const body = await client.json<{ activations: ActivationSummary[] }>(
        "GET",
        client.accountPath("activations"),
        {
          query,
        },
      );
      out.result(body, () => {
        if (body.activations.length === 0) return "no activations yet";
        return out.table(HEADER, body.activations.map(row));
      });
    });
}

/**
 * Polls the list and prints each activation when first seen and again whenever its status changes
 * (queued → running → final), oldest first, until the Io's signal aborts (Ctrl-C ends the process).
 */
async function follow(
  ctx: CliContext,
  out: Output,
  query: Record<string, string | number | undefined>,
  intervalMs: number,
): Promise<void> {
  const client = ctx.client();
  const signal = ctx.io.signal;
  const seen = new Map<string, string>();
  out.note("following activations (Ctrl-C to stop)");
  while (!signal?.aborted) {
    let body: { activations: ActivationSummary[] };
    try {
      body = await client.json("GET", client.accountPath("activations"), {
        query: { ...query, limit: query.limit ?? 100 },
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    for (const a of [...body.activations].reverse()) {
      if (seen.get(a.id) === a.status) continue;
      seen.set(a.id, a.status);
      out.line(out.json ? JSON.stringify(a) : row(a).join("  "));
    }
    await sleep(intervalMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
