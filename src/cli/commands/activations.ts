import { Option, type Command } from "commander";
import { FINAL_STATUSES } from "../../outcomes.js";
import type { CliContext } from "../context.js";
import type { Output } from "../output.js";
import { duration, timestamp, type Time } from "../format.js";
import { usageError } from "../cli-error.js";
import { addFilters, csv, cursorAt, lineMatches, type FilterValues } from "../filters.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface ActivationsOptions extends JsonOption, FilterValues {
  function?: string;
  status?: string;
  limit?: number;
  follow?: boolean;
  interval?: number;
  csv?: boolean;
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
  error?: { code: string; message: string } | null;
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
  const command = program
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
    .option("--interval <ms>", "how often --follow asks the server (default 1000)", positiveInt);
  addFilters(command, {
    since: "started at or after this time (ISO 8601, epoch ms, or an age: 15m, 2h, 7d)",
    until: "started at or before this time",
    level: "only those with a log line at this level or above",
    levels: "only those with a log line at one of these levels (--levels info warn)",
    activation: "only this activation (see runlet activation ID for all of it)",
    search: "only those whose id, function, status, error or log lines contain this text",
  })
    .option("--csv", "print CSV instead of a table")
    .option("--json", `${JSON_HELP} (one object per line with --follow)`)
    .action(async (options: ActivationsOptions) => {
      const out = ctx.output(options);
      if (options.csv && options.json) throw usageError("use either --csv or --json, not both");
      const client = ctx.client();
      const query = {
        function: options.function,
        status: options.status,
        limit: options.limit,
        since: options.since === undefined ? undefined : new Date(options.since).toISOString(),
        ...(options.until !== undefined ? { before: cursorAt(options.until) } : {}),
      };
      if (options.follow) return follow(ctx, out, query, options.interval ?? 1000);
      let list: ActivationSummary[];
      if (options.activation !== undefined) {
        list = [
          await client.json<ActivationSummary>("GET", client.accountPath("activations", options.activation)),
        ];
      } else {
        list = (
          await client.json<{ activations: ActivationSummary[] }>("GET", client.accountPath("activations"), {
            query,
          })
        ).activations;
      }
      if (options.level !== undefined || options.levels !== undefined || options.search !== undefined)
        list = await withLogMatches(ctx, list, options);
      if (options.csv) return out.raw(csv(CSV_HEADER, list.map(csvCells)));
      out.result({ activations: list }, () => {
        if (list.length === 0) return "no activations match";
        return out.table(HEADER, list.map(row));
      });
    });
}

const CSV_HEADER = [
  "id",
  "function",
  "version",
  "trigger",
  "status",
  "durationMs",
  "billedMs",
  "coldStart",
  "startedAt",
  "error",
];

function csvCells(a: ActivationSummary): unknown[] {
  return [
    a.id,
    a.function,
    a.version,
    a.trigger,
    a.status,
    a.durationMs,
    a.billedMs,
    a.coldStart,
    a.startedAt,
    a.error?.code ?? "",
  ];
}

/**
 * --level and --search look at log lines, which the list leaves out: each listed activation is read (a
 * few at a time; the list is at most --limit long).
 */
async function withLogMatches(
  ctx: CliContext,
  list: ActivationSummary[],
  f: FilterValues,
): Promise<ActivationSummary[]> {
  const client = ctx.client();
  const kept: (ActivationSummary | undefined)[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < list.length; i = next++) {
      const a = list[i]!;
      const full = await client.json<
        ActivationSummary & { logs: { t: string; level: string; msg: string }[] }
      >("GET", client.accountPath("activations", a.id));
      const search = f.search?.toLowerCase();
      const inSummary =
        search !== undefined &&
        [a.id, a.function, a.status, a.error?.code, a.error?.message].some((v) =>
          v?.toLowerCase().includes(search),
        );
      const lines = full.logs.filter((line) =>
        lineMatches(line, {
          ...(f.level ? { level: f.level } : {}),
          ...(f.levels ? { levels: f.levels } : {}),
          ...(inSummary ? {} : f.search ? { search: f.search } : {}),
        }),
      );
      const levelOk = (f.level === undefined && f.levels === undefined) || lines.length > 0;
      const searchOk = search === undefined || inSummary || lines.length > 0;
      if (levelOk && searchOk) kept[i] = a;
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, list.length) }, worker));
  return kept.filter((a): a is ActivationSummary => a !== undefined);
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
