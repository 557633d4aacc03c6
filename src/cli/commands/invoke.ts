import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { readJsonInput } from "../json-input.js";
import { duration } from "../format.js";
import { invokeLocally } from "../local-invoke.js";
import { validateName } from "../project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface InvokeOptions extends JsonOption {
  data?: string;
  dataFile?: string;
  async?: boolean;
  callbackUrl?: string;
  idempotencyKey?: string;
  local?: string | boolean;
}

export function registerInvoke(program: Command, ctx: CliContext): void {
  program
    .command("invoke")
    .description("invoke a function and print its result")
    .argument("<name>", "function name")
    .option("-d, --data <json>", "the payload, as JSON (default {})")
    .option("--data-file <file>", "read the JSON payload from a file")
    .option("--async", "queue the invocation and print its activation id")
    .option("--callback-url <url>", "with --async: POST the result here when it ends")
    .option(
      "--idempotency-key <key>",
      "with --async: a repeat with the same key returns the first activation",
    )
    .option("--local [dir]", "run the folder's code here, without a server (default ./<name>, else .)")
    .option("--json", `${JSON_HELP}: {activationId, durationMs, coldStart, result}`)
    .action(async (name: string, options: InvokeOptions) => {
      const out = ctx.output(options);
      validateName(name);
      const body = readJsonInput(options, ctx.io.cwd, '{"name":"Ada"}');
      if (options.local !== undefined) {
        if (options.async) throw usageError("--async and --local cannot be combined");
        const dir = typeof options.local === "string" ? options.local : undefined;
        return invokeLocally(ctx, out, name, JSON.parse(body), dir);
      }
      if (!options.async && (options.callbackUrl !== undefined || options.idempotencyKey !== undefined)) {
        throw usageError("--callback-url and --idempotency-key go with --async");
      }
      const client = ctx.client();
      const headers: Record<string, string> = {};
      if (options.callbackUrl !== undefined) headers["x-callback-url"] = options.callbackUrl;
      if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
      const response = await client.request("POST", client.functionPath(name, "invoke"), {
        rawBody: body,
        query: { async: options.async ? true : undefined },
        headers,
      });
      const text = await response.text();
      const result = parseMaybeJson(text);
      const activationId = response.headers.get("x-runlet-activation-id") ?? undefined;
      if (options.async) {
        const queued = result as { activationId?: string };
        out.note("follow it with: runlet activations --follow");
        return out.result(result, () => `queued activation ${queued.activationId ?? activationId ?? "?"}`);
      }
      const durationHeader = response.headers.get("x-runlet-duration-ms");
      const durationMs = durationHeader === null ? undefined : Number(durationHeader);
      const coldStart = response.headers.get("x-runlet-cold-start") === "true";
      if (out.json) return out.data({ activationId, durationMs, coldStart, result });
      out.line(typeof result === "string" ? result : JSON.stringify(result, null, 2));
      if (activationId) {
        out.note(`activation ${activationId}  ${duration(durationMs)}${coldStart ? "  cold start" : ""}`);
      }
    });
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
