import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { addFilters, csv, csvRow, lineMatches, type FilterValues } from "../filters.js";
import { timestamp } from "../format.js";
import type { Output } from "../output.js";
import { validateName } from "../project.js";
import { readEvents } from "../sse.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface LogsOptions extends JsonOption, FilterValues {
  follow?: boolean;
  limit?: number;
  csv?: boolean;
}

interface LogEntry {
  activationId: string;
  t: number | string;
  level: string;
  msg: string;
}

/** With a filter the server does not apply, ask for this many lines and filter here. */
const FILTERED_FETCH = 1000;

export function registerLogs(program: Command, ctx: CliContext): void {
  const command = program
    .command("logs")
    .description("print a function's log lines, oldest first")
    .argument("<name>", "function name")
    .option("-f, --follow", "keep printing new lines as they arrive (Ctrl-C to stop)")
    .option("-n, --limit <n>", "how many recent lines (after filtering)", positiveInt);
  addFilters(command)
    .option("--csv", "print CSV (time, activation, level, message) instead of text")
    .option("--json", `${JSON_HELP} (one object per line with --follow)`)
    .action(async (name: string, options: LogsOptions) => {
      const out = ctx.output(options);
      validateName(name);
      if (options.csv && options.json) throw usageError("use either --csv or --json, not both");
      const client = ctx.client();
      if (options.activation !== undefined) {
        if (options.follow) throw usageError("--activation shows one finished activation; drop --follow");
        const a = await client.json<{ function: string; logs: LogEntry[] }>(
          "GET",
          client.accountPath("activations", options.activation),
        );
        return print(
          out,
          options,
          a.logs.map((l) => ({ ...l, activationId: options.activation! })),
        );
      }
      const path = client.functionPath(name, "logs");
      const filtered =
        options.until !== undefined ||
        options.level !== undefined ||
        options.levels !== undefined ||
        options.search !== undefined;
      if (!options.follow) {
        const { logs } = await client.json<{ logs: LogEntry[] }>("GET", path, {
          query: { limit: filtered ? FILTERED_FETCH : options.limit, since: iso(options.since) },
        });
        const kept = logs.filter((line) => lineMatches(line, options));
        if (kept.length === 0 && !out.json && !options.csv) return out.note(`no log lines for ${name} match`);
        return print(out, options, options.limit ? kept.slice(-options.limit) : kept);
      }
      await follow(ctx, out, name, path, options);
    });
}

const CSV_HEADER = ["time", "activation", "level", "message"];
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function print(out: Output, options: LogsOptions, lines: LogEntry[]): void {
  if (out.json) return out.data({ logs: lines });
  if (options.csv) {
    const rows = lines.map((l) => [
      iso(typeof l.t === "number" ? l.t : Date.parse(String(l.t))),
      l.activationId,
      l.level,
      l.msg,
    ]);
    out.raw(csv(CSV_HEADER, rows));
    return;
  }
  for (const entry of lines) printEntry(out, entry);
}

/** Streams new lines until the server closes the stream or the Io's signal aborts (Ctrl-C kills the process). */
async function follow(
  ctx: CliContext,
  out: Output,
  name: string,
  path: string,
  options: LogsOptions,
): Promise<void> {
  const signal = ctx.io.signal;
  try {
    const response = await ctx.client().request("GET", path, {
      query: { follow: true, limit: options.limit, since: iso(options.since) },
      headers: { accept: "text/event-stream" },
      ...(signal ? { signal } : {}),
    });
    if (!response.body) return;
    out.note(`following ${name}'s logs (Ctrl-C to stop)`);
    if (options.csv) out.raw(csvRow(CSV_HEADER));
    for await (const data of readEvents(response.body)) {
      const entry = JSON.parse(data) as LogEntry;
      if (!lineMatches(entry, options)) continue;
      if (out.json) ctx.io.out(`${JSON.stringify(entry)}\n`);
      else if (options.csv) out.raw(csvRow([entry.t, entry.activationId, entry.level, entry.msg]));
      else printEntry(out, entry);
    }
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
}

function printEntry(out: Output, entry: LogEntry): void {
  const level = entry.level.padEnd(5);
  const styled =
    entry.level === "error"
      ? out.paint("red", level)
      : entry.level === "warn"
        ? out.paint("yellow", level)
        : out.paint("dim", level);
  out.line(`${timestamp(entry.t, true)}  ${out.paint("dim", entry.activationId)}  ${styled}  ${entry.msg}`);
}
