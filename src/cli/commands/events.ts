import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { readJsonInput } from "../json-input.js";

import { EVENT_TYPE_PATTERN } from "../../triggers/event-subscriptions.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface PublishOptions extends JsonOption {
  data?: string;
  dataFile?: string;
  sync?: boolean;
}

interface SyncAnswer {
  eventId: string;
  results: {
    function: string;
    activationId: string;
    status: string;
    result: unknown;
    error?: { message: string };
  }[];
}

interface AsyncAnswer {
  eventId: string;
  activationIds: string[];
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function registerEvents(program: Command, ctx: CliContext): void {
  const events = program.command("events").description("publish events to the functions subscribed to them");

  events
    .command("publish")
    .description("publish an event to every deployed function subscribed to its type")
    .argument("<type>", "the event type, e.g. conversation.ended")
    .option("-d, --data <json>", "the event's data, as JSON (default {})")
    .option("--data-file <file>", "read the event's data from a JSON file")
    .option("--sync", "run the subscribers now and print each one's answer (default: queue them)")
    .option("--json", `${JSON_HELP}: {eventId, activationIds} or, with --sync, {eventId, results}`)
    .action(async (type: string, options: PublishOptions) => {
      const out = ctx.output(options);
      if (!new RegExp(EVENT_TYPE_PATTERN).test(type)) {
        throw usageError(
          `event type "${type.slice(0, 80)}" is invalid: use letters, digits, dots, dashes, underscores and colons`,
          "runlet events publish conversation.ended --data '{\"id\":42}'",
          "RUNLET_ERR_INVALID_EVENT_TYPE",
        );
      }
      const rawBody = readJsonInput(options, ctx.io.cwd, '{"conversation":42}');
      const client = ctx.client();
      const route = client.accountPath("events", type);
      if (options.sync) {
        const answer = await client.json<SyncAnswer>("POST", route, { rawBody, query: { sync: true } });
        out.result(answer, () => {
          if (answer.results.length === 0) return `no deployed function subscribes to ${type}`;
          return out.table(
            ["function", "status", "result", "activation"],
            answer.results.map((r) => [
              r.function,
              r.status,
              r.status === "succeeded" ? brief(r.result) : (r.error?.message ?? "-"),
              r.activationId,
            ]),
          );
        });
        out.note(`event ${answer.eventId}`);
        return;
      }
      const answer = await client.json<AsyncAnswer>("POST", route, { rawBody });
      out.result(answer, () => {
        const ids = answer.activationIds;
        if (ids.length === 0) return `no deployed function subscribes to ${type}; nothing queued`;
        return `queued ${ids.length} activation${ids.length === 1 ? "" : "s"}: ${ids.join(" ")}`;
      });
      out.note(`event ${answer.eventId}`);
    });
}
