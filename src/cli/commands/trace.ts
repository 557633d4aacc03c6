import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { duration } from "../format.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

/** `GET …/traces/{id}`: one activation of the tree, times as ISO strings. */
export interface TraceNodeView {
  activationId: string;
  function: string;
  version: number;
  trigger: string;
  status: string;
  queuedAt: string;
  queuedMs: number;
  startedAt: string;
  durationMs: number;
  error: { code: string; message: string } | null;
  callback?: { status: string; attempts: number };
  children: TraceNodeView[];
}

interface TraceView {
  traceId: string;
  roots: TraceNodeView[];
  activations: number;
  truncated: boolean;
}

const ms = (n: number) => (n < 10 ? `${n.toFixed(1)} ms` : duration(n));

export function registerTrace(program: Command, ctx: CliContext): void {
  program
    .command("trace")
    .description("the tree of activations of one trace, with queued time, start and duration of each")
    .argument("<id>", "an activation id (act_…) or a trace id (32 hex digits)")
    .option("--json", JSON_HELP)
    .action(async (id: string, options: JsonOption) => {
      const out = ctx.output(options);
      if (!/^act_[0-9a-z]{24}$/.test(id) && !/^[0-9a-f]{32}$/.test(id)) {
        throw new CliError("RUNLET_ERR_BAD_REQUEST", `${id} is neither an activation id nor a trace id`, {
          hint: "pick an activation from runlet activations, or a trace id from a traceparent",
        });
      }
      const client = ctx.client();
      const trace = await client.json<TraceView>("GET", client.accountPath("traces", id));
      out.result(trace, () => formatTrace(trace));
    });
}

/** `trace <id> (N activations)`, then one line per activation, children indented under their parent. */
export function formatTrace(trace: TraceView): string {
  const start = Math.min(...trace.roots.map((r) => Date.parse(r.queuedAt)));
  const lines = [
    `trace ${trace.traceId} (${trace.activations} activations${trace.truncated ? ", more not shown" : ""})`,
  ];
  const walk = (node: TraceNodeView, prefix: string, last: boolean, top: boolean) => {
    const branch = top ? "" : last ? "└─ " : "├─ ";
    const at = Date.parse(node.startedAt) - start;
    const callback = node.callback ? `, callback ${node.callback.status}` : "";
    const error = node.error ? `  ${node.error.code}` : "";
    lines.push(
      `${prefix}${branch}${node.function} v${node.version} (${node.trigger}) ${node.status}  +${ms(at)}, queued ${ms(node.queuedMs)}, ran ${ms(node.durationMs)}${callback}  ${node.activationId}${error}`,
    );
    const childPrefix = top ? prefix : prefix + (last ? "   " : "│  ");
    node.children.forEach((child, i) => walk(child, childPrefix, i === node.children.length - 1, false));
  };
  for (const root of trace.roots) walk(root, "", true, true);
  return lines.join("\n");
}
