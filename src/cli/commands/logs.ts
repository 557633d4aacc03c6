import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { timestamp, type Time } from "../format.js";
import type { Output } from "../output.js";
import { validateName } from "../project.js";
import { readEvents } from "../sse.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface LogsOptions extends JsonOption {
  follow?: boolean;
  limit?: number;
}

interface LogEntry {
  activationId: string;
  t: Time;
  level: string;
  msg: string;
}

export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command("logs")
    .description("print a function's log lines, oldest first")
    .argument("<name>", "function name")
    .option("-f, --follow", "keep printing new lines as they arrive (Ctrl-C to stop)")
    .option("-n, --limit <n>", "how many recent lines", positiveInt)
    .option("--json", `${JSON_HELP} (one object per line with --follow)`)
    .action(async (name: string, options: LogsOptions) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const path = client.functionPath(name, "logs");
      if (!options.follow) {
        const { logs } = await client.json<{ logs: LogEntry[] }>("GET", path, {
          query: { limit: options.limit },
        });
        if (out.json) return out.data({ logs });
        if (logs.length === 0) return out.note(`no log lines for ${name} yet`);
        for (const entry of logs) printEntry(out, entry);
        return;
      }
      await follow(ctx, out, name, path, options.limit);
    });
}

/** Streams new lines until the server closes the stream or the Io's signal aborts (Ctrl-C kills the process). */
async function follow(
  ctx: CliContext,
  out: Output,
  name: string,
  path: string,
  limit?: number,
): Promise<void> {
  const signal = ctx.io.signal;
  try {
    const response = await ctx.client().request("GET", path, {
      query: { follow: true, limit },
      headers: { accept: "text/event-stream" },
      ...(signal ? { signal } : {}),
    });
    if (!response.body) return;
    out.note(`following ${name}'s logs (Ctrl-C to stop)`);
    for await (const data of readEvents(response.body)) {
      const entry = JSON.parse(data) as LogEntry;
      if (out.json) ctx.io.out(`${JSON.stringify(entry)}\n`);
      else printEntry(out, entry);
    }
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
}

function printEntry(out: Output, entry: LogEntry): void {
  out.line(`${timestamp(entry.t, true)}  ${entry.activationId}  ${entry.level.padEnd(5)}  ${entry.msg}`);
}
