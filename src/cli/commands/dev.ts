import path from "node:path";
import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import type { Activation } from "../../model/activation.js";
import { statusStyle, type Paint } from "../color.js";
import { duration, timestamp } from "../format.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface DevOptions extends JsonOption {
  name?: string;
  port?: string;
  host?: string;
  allow?: string[];
}

export function registerDev(program: Command, ctx: CliContext): void {
  program
    .command("dev")
    .description("serve a function folder locally with the platform's runtime; redeploy on every change")
    .argument("[dir]", "the function folder", ".")
    .option("--name <name>", "function name (default: runlet.json's name, else the folder's)")
    .option("-p, --port <port>", "port to listen on", "8787")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--allow <hosts...>", "hosts the function may fetch (*.example.com for subdomains)")
    .option("--json", `${JSON_HELP}: one line per event`)
    .action(async (dir: string, options: DevOptions) => {
      const out = ctx.output(options);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw usageError(`--port must be a port number, got ${options.port}`);
      }
      const { startDevServer } = await import("../dev-server.js");
      const server = await startDevServer({
        dir: path.resolve(ctx.io.cwd, dir),
        ...(options.name ? { name: options.name } : {}),
        host: options.host ?? "127.0.0.1",
        port,
        ...(options.allow ? { allow: options.allow } : {}),
        onEvent: (event) => {
          if (out.json) out.data(event);
          else if (event.kind === "deployed")
            out.note(`deployed version ${event.version} in ${duration(event.ms)}`);
          else
            ctx.io.err(
              `${out.paintErr("red", "runlet dev: not deployed")} (the previous version keeps serving):\n${event.message}\n`,
            );
        },
        onActivation: (activation) => {
          if (activation.status === "queued" || activation.status === "running") return;
          if (out.json) return out.data({ activation });
          ctx.io.err(describeActivation(activation, out.paintErr));
        },
      });
      if (out.json)
        out.data({ url: server.url, webUrl: server.webUrl, invokeUrl: server.invokeUrl, key: server.key });
      else {
        out.line(
          [
            `runlet dev: ${server.name} on ${server.webUrl}`,
            `  invoke:  curl -X POST ${server.invokeUrl} -H 'authorization: Bearer ${server.key}' -H 'content-type: application/json' -d '{}'`,
            `  watching ${dir} for changes (Ctrl-C to stop)`,
          ].join("\n"),
        );
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await server.close();
    });
}

/** An activation as it ends: its console output, then one line with its outcome (and error, mapped). */
export function describeActivation(a: Activation, paint: Paint): string {
  const lines = a.logs.map((log) => {
    const level = log.level.padEnd(5);
    const styled =
      log.level === "error"
        ? paint("red", level)
        : log.level === "warn"
          ? paint("yellow", level)
          : paint("dim", level);
    return `${timestamp(log.t, true)}  ${styled}  ${log.msg}`;
  });
  const status = paint(statusStyle(a.status) ?? "bold", a.status);
  const summary = `${a.trigger} ${a.id}  ${status}  ${duration(a.durationMs)}${a.coldStart ? "  cold start" : ""}`;
  lines.push(paint("dim", "── ") + summary);
  if (a.error) lines.push(paint("red", `${a.error.code}: ${a.error.message}`));
  if (a.logsTruncated) lines.push(paint("yellow", "(log lines past the limit were dropped)"));
  return `${lines.join("\n")}\n`;
}
