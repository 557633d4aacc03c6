import type { Command } from "commander";
import { CliError, usageError } from "../cli-error.js";
import { invocationReport, type InvocationReport } from "../invocation-report.js";
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
  secret?: string[];
  secretsFile?: string;
  faults?: string;
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
    .option(
      "--faults <profile>",
      "apply a fault profile (runlet faults set) to this invocation; needs a developer or admin key",
    )
    .option("--local [dir]", "run the folder's code here, without a server (default ./<name>)")
    .option(
      "--secret <key=value...>",
      "with --local: a secret ctx.secrets.get(key) answers (repeatable)",
      collect,
      [],
    )
    .option("--secrets-file <file>", "with --local: secrets from a JSON object or KEY=VALUE lines (.env)")
    .option(
      "--json",
      `${JSON_HELP}: {activationId, status, startedAt, durationMs, coldStart, result, error, logs}`,
    )
    .action(async (name: string, options: InvokeOptions) => {
      const out = ctx.output(options);
      validateName(name);
      const body = readJsonInput(options, ctx.io.cwd, '{"name":"Ada"}');
      if (options.local !== undefined) {
        if (options.async) throw usageError("--async and --local cannot be combined");
        if (options.faults !== undefined) {
          throw usageError("--faults needs a server (fault profiles live there); drop --local or --faults");
        }
        const dir = typeof options.local === "string" ? options.local : undefined;
        return invokeLocally(ctx, out, name, JSON.parse(body), dir, {
          ...(options.secret?.length ? { secret: options.secret } : {}),
          ...(options.secretsFile !== undefined ? { secretsFile: options.secretsFile } : {}),
        });
      }
      if (options.secret?.length || options.secretsFile !== undefined) {
        throw usageError("--secret and --secrets-file go with --local; on a server use runlet secrets set");
      }
      if (!options.async && (options.callbackUrl !== undefined || options.idempotencyKey !== undefined)) {
        throw usageError("--callback-url and --idempotency-key go with --async");
      }
      const client = ctx.client();
      const headers: Record<string, string> = {};
      if (options.callbackUrl !== undefined) headers["x-callback-url"] = options.callbackUrl;
      if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
      if (options.faults !== undefined) headers["x-runlet-faults"] = options.faults;
      let response: Response;
      try {
        response = await client.request("POST", client.functionPath(name, "invoke"), {
          rawBody: body,
          query: { async: options.async ? true : undefined },
          headers,
        });
      } catch (err) {
        // With --json a failed invocation prints the same report as a successful one, then fails.
        if (out.json && err instanceof CliError && err.activationId !== undefined) {
          const report = await reportOf(ctx, name, err.activationId).catch(() => undefined);
          if (report) {
            out.data(report);
            throw new CliError(err.code, err.message, { ...err.extra, printed: true });
          }
        }
        throw err;
      }
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
      if (out.json) {
        const report = activationId
          ? await reportOf(ctx, name, activationId).catch(() => undefined)
          : undefined;
        return out.data(
          report ??
            invocationReport({
              activationId,
              function: name,
              status: "succeeded",
              durationMs,
              coldStart,
              result,
            }),
        );
      }
      out.line(typeof result === "string" ? result : JSON.stringify(result, null, 2));
      if (activationId) {
        out.note(`activation ${activationId}  ${duration(durationMs)}${coldStart ? "  cold start" : ""}`);
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The recorded activation, as --json prints it (its logs and times come with it). */
async function reportOf(ctx: CliContext, name: string, id: string): Promise<InvocationReport> {
  const client = ctx.client();
  const a = await client.json<Parameters<typeof invocationReport>[0] & { id: string }>(
    "GET",
    client.accountPath("activations", id),
  );
  return invocationReport({ ...a, activationId: a.id, function: name });
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
