import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { validateName } from "../project.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface ReplayOptions extends JsonOption {
  version?: number;
  last?: number;
}

interface Report {
  activationId: string;
  verdict: "same" | "different_result" | "different_calls";
  diff: { path: string; recorded?: unknown; replayed?: unknown }[];
  calls: { what: string; problem: "not_recorded" | "not_made" }[];
}

interface Batch {
  summary: { replayed: number; same: number; differentResult: number; differentCalls: number };
  reports: Report[];
}

const shown = (v: unknown): string => (v === undefined ? "(absent)" : JSON.stringify(v));

function renderReport(r: Report): string {
  const lines = [`${r.activationId}  ${r.verdict.replace("_", " ")}`];
  for (const c of r.calls) {
    lines.push(
      `  ${c.problem === "not_recorded" ? "not in the recording" : "recorded, not made"}: ${c.what}`,
    );
  }
  for (const d of r.diff) lines.push(`  ${d.path}: ${shown(d.recorded)} → ${shown(d.replayed)}`);
  return lines.join("\n");
}

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command("replay")
    .description(
      "run a kept version on recorded activations (config record: {sample, days}) with their calls played back; nothing real is done",
    )
    .argument("<activation|function>", "an activation id, or with --last a function name")
    .requiredOption("--version <n>", "the kept version to replay against", positiveInt)
    .option("--last <n>", "replay the function's newest N recorded activations (at most 100)", positiveInt)
    .option(
      "--json",
      `${JSON_HELP}: a report per activation {activationId, verdict, diff, calls, recorded, replayed}`,
    )
    .action(async (target: string, options: ReplayOptions) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const version = options.version!;
      if (options.last === undefined) {
        if (!target.startsWith("act_")) {
          throw usageError(
            `${target} is not an activation id`,
            `replay one activation (runlet replay act_… --version ${version}) or a function's newest: runlet replay ${target} --last 100 --version ${version}`,
          );
        }
        const path = client.accountPath("activations", target, "replay");
        const report = await client.json<Report>("POST", path, { body: { version } });
        return out.result(report, () => renderReport(report));
      }
      validateName(target);
      const batch = await client.json<Batch>("POST", client.functionPath(target, "replay"), {
        body: { version, last: options.last },
      });
      const { summary } = batch;
      out.result(batch, () =>
        [
          ...batch.reports.filter((r) => r.verdict !== "same").map(renderReport),
          `${summary.replayed} replayed against version ${version}: ${summary.same} same, ${summary.differentResult} different result, ${summary.differentCalls} different calls`,
        ].join("\n"),
      );
    });
}
