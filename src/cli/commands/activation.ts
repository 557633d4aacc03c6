import type { Command } from "commander";
import { statusStyle } from "../color.js";
import type { CliContext } from "../context.js";
import { duration, fields, pretty, timestamp } from "../format.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface ActivationDetail {
  id: string;
  function: string;
  version: number;
  trigger: string;
  status: string;
  result: unknown;
  error: { code: string; message: string } | null;
  logs: { t: string; level: string; msg: string }[];
  logsTruncated?: boolean;
  startedAt: string;
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  coldStart: boolean;
  attempts?: number;
  parentId?: string;
  traceparent?: string;
  callback?: { url: string; status: string; attempts: number; lastError?: string; deliveredAt?: string };
  steps?: { function: string; activationId: string; status: string; durationMs: number }[];
}

/** `runlet activation <id>`: everything one activation recorded. */
export function registerActivation(program: Command, ctx: CliContext): void {
  program
    .command("activation")
    .description("show one activation: outcome, result or error, logs, attempts, callback, steps")
    .argument("<id>", "the activation id (act_…), as invoke, activations or logs print it")
    .option("--json", JSON_HELP)
    .action(async (id: string, options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const a = await client.json<ActivationDetail>("GET", client.accountPath("activations", id));
      out.result(a, () => {
        const paint = out.paint;
        const pairs: [string, string][] = [
          ["id", a.id],
          ["function", `${a.function} version ${a.version}`],
          ["trigger", a.trigger],
          ["status", paint(statusStyle(a.status) ?? "bold", a.status)],
          ["started", timestamp(a.startedAt, true)],
          [
            "duration",
            `${duration(a.durationMs)} (billed ${a.billedMs} ms at ${a.memoryMb} MB)${a.coldStart ? ", cold start" : ""}`,
          ],
          ["attempts", String(a.attempts ?? 1)],
        ];
        if (a.parentId) pairs.push(["parent", a.parentId]);
        // Every activation is in a trace (a root starts one): point at the command that shows it whole.
        pairs.push([
          "trace",
          `${a.traceparent ? `${a.traceparent}; ` : ""}runlet trace ${a.id} shows it whole`,
        ]);
        if (a.callback) {
          const c = a.callback;
          const tail = c.lastError
            ? `, last error: ${c.lastError}`
            : c.deliveredAt
              ? `, delivered ${timestamp(c.deliveredAt)}`
              : "";
          pairs.push(["callback", `${c.url}  ${c.status} after ${c.attempts} attempt(s)${tail}`]);
        }
        const parts = [fields(pairs)];
        if (a.steps?.length) {
          parts.push(
            out.table(
              ["step", "function", "activation", "status", "duration"],
              a.steps.map((s, i) => [
                String(i + 1),
                s.function,
                s.activationId,
                s.status,
                duration(s.durationMs),
              ]),
            ),
          );
        }
        if (a.error) parts.push(`${paint("red", a.error.code)}: ${a.error.message}`);
        else parts.push(`result:\n${typeof a.result === "string" ? a.result : pretty(a.result)}`);
        if (a.logs.length) {
          const lines = a.logs.map((l) => `${timestamp(l.t, true)}  ${l.level.padEnd(5)}  ${l.msg}`);
          if (a.logsTruncated) lines.push("(log lines past the limit were dropped)");
          parts.push(`logs:\n${lines.join("\n")}`);
        }
        return parts.join("\n\n");
      });
    });
}
