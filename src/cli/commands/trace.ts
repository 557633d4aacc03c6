import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { duration, timestamp } from "../format.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface TraceNode {
  id: string;
  function: string;
  version: number;
  trigger: string;
  status: string;
  queuedMs: number;
  offsetMs: number;
  durationMs: number;
  coldStart: boolean;
  attempts: number;
  error?: { code: string; message: string };
  callback?: { status: string; attempts: number };
  children: TraceNode[];
}

interface Trace {
  traceId: string;
  startedAt: string;
  durationMs: number;
  count: number;
  truncated: boolean;
  roots: TraceNode[];
}

/** `runlet trace <activation|traceId>`: the tree of activations one trace holds, with their timings. */
export function registerTrace(program: Command, ctx: CliContext): void {
  program
    .command("trace")
    .description(
      "show the tree of activations of one trace (ctx.invoke, async calls, sequences, events) with timings",
    )
    .argument(
      "<id>",
      "an activation id (act_…) of the trace, or its trace id (32 hex digits of a traceparent)",
    )
    .option("--json", JSON_HELP)
    .action(async (id: string, options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const trace = await client.json<Trace>("GET", client.accountPath("traces", id));
      out.result(trace, () => {
        const rows: string[][] = [];
        const notes: string[] = [];
        const walk = (node: TraceNode, lead: string, branch: string) => {
          rows.push([
            `${lead}${branch}${node.function}`,
            node.id,
            node.trigger,
            node.status,
            node.queuedMs > 0 ? duration(node.queuedMs) : "-",
            `+${duration(node.offsetMs)}`,
            duration(node.durationMs),
            noteOf(node),
          ]);
          // The error's first line (its stack is in runlet activation <id>).
          const message = node.error?.message.split("\n")[0];
          if (node.error) notes.push(`${node.id} (${node.function}): ${node.error.code}: ${message}`);
          const under = lead + (branch === "" ? "" : branch === "└─ " ? "   " : "│  ");
          node.children.forEach((child, i) =>
            walk(child, under, i === node.children.length - 1 ? "└─ " : "├─ "),
          );
        };
        for (const root of trace.roots) walk(root, "", "");
        const head =
          `trace ${trace.traceId}  ${trace.count} activation${trace.count === 1 ? "" : "s"}, ` +
          `${duration(trace.durationMs)} from ${timestamp(trace.startedAt, true)}`;
        const parts = [
          out.paint("bold", head),
          out.table(
            ["function", "activation", "trigger", "status", "queued", "start", "duration", "notes"],
            rows,
          ),
        ];
        if (notes.length) parts.push(notes.join("\n"));
        if (trace.truncated) parts.push(`(only the first ${trace.count} activations of the trace are shown)`);
        return parts.join("\n\n");
      });
    });
}

/** Cold start, retries and the callback, when there is something to say. */
function noteOf(node: TraceNode): string {
  const notes: string[] = [];
  if (node.coldStart) notes.push("cold");
  if (node.attempts > 1) notes.push(`${node.attempts} attempts`);
  if (node.callback) notes.push(`callback ${node.callback.status}`);
  return notes.join(", ");
}
