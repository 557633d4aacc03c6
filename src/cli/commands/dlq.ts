import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { timestamp, type Time } from "../format.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface DeadLetter {
  id: string;
  function: string;
  trigger: string;
  attempts: number;
  error: { code?: string; message?: string } | null;
  failedAt: Time;
}

/** `runlet dlq list|redrive`: async invocations that failed every attempt, and running one again. */
export function registerDlq(program: Command, ctx: CliContext): void {
  const dlq = program.command("dlq").description("dead-lettered async invocations (failed every retry)");

  dlq
    .command("list")
    .description("list them, newest first")
    .option("-n, --limit <n>", "how many", positiveInt)
    .option("--json", JSON_HELP)
    .action(async (options: JsonOption & { limit?: number }) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const body = await client.json<{ dlq: DeadLetter[] }>("GET", client.accountPath("dlq"), {
        query: { limit: options.limit },
      });
      out.result(body, () => {
        if (body.dlq.length === 0) return "the dead-letter queue is empty";
        return out.table(
          ["id", "function", "trigger", "attempts", "error", "failed"],
          body.dlq.map((d) => [
            d.id,
            d.function,
            d.trigger,
            String(d.attempts),
            d.error?.code ?? "",
            timestamp(d.failedAt),
          ]),
        );
      });
    });

  dlq
    .command("redrive")
    .description("queue one again (same activation id; its attempts start over)")
    .argument("<id>", "the activation id, as `dlq list` shows it")
    .option("--json", JSON_HELP)
    .action(async (id: string, options: JsonOption) => {
      const out = ctx.output(options);
      const client = ctx.client();
      const body = await client.json<{ activationId: string }>(
        "POST",
        client.accountPath("dlq", id, "redrive"),
      );
      out.result(
        body,
        () => `queued ${body.activationId} again; follow it with: runlet activations --follow`,
      );
    });
}
