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
  inspect?: boolean;
  /** [host:]port of the debugger endpoint; implies --inspect. */
  inspectPort?: string;
}

/** `--inspect-port 9230` or `--inspect-port 0.0.0.0:9230` (node's --inspect=[host:]port). */
function inspectAddress(value: string | undefined): { host?: string; port: number } {
  if (value === undefined) return { port: 9229 };
  const m = /^(?:(.+):)?(\d+)$/.exec(value);
  const port = Number(m?.[2]);
  if (!m || port > 65535) {
    throw usageError(`--inspect-port takes [host:]port, got ${value}`, "runlet dev --inspect-port 9230");
  }
  return { ...(m[1] ? { host: m[1].replace(/^\[(.*)\]$/, "$1") } : {}), port };
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
    .option(
      "--inspect",
      "let a debugger attach (Chrome DevTools, VS Code) on 127.0.0.1:9229; breakpoints in your TypeScript",
    )
    .option("--inspect-port <[host:]port>", "where the debugger attaches (implies --inspect)")
    .option("--json", `${JSON_HELP}: one line per event`)
    .action(async (dir: string, options: DevOptions) => {
      const out = ctx.output(options);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw usageError(`--port must be a port number, got ${options.port}`);
      }
      const inspect =
        options.inspect || options.inspectPort !== undefined
          ? inspectAddress(options.inspectPort)
          : undefined;
      const { startDevServer } = await import("../dev-server.js");
      const server = await startDevServer({
        dir: path.resolve(ctx.io.cwd, dir),
        ...(options.name ? { name: options.name } : {}),
        host: options.host ?? "127.0.0.1",
        port,
        ...(options.allow ? { allow: options.allow } : {}),
        ...(inspect ? { inspect } : {}),
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
      const debug = server.inspector;
      if (out.json)
        out.data({
          url: server.url,
          webUrl: server.webUrl,
          invokeUrl: server.invokeUrl,
          key: server.key,
          ...(debug ? { inspector: debug } : {}),
        });
      else {
        out.line(
          [
            `runlet dev: ${server.name} on ${server.webUrl}`,
            `  invoke:  curl -X POST ${server.invokeUrl} -H 'authorization: Bearer ${server.key}' -H 'content-type: application/json' -d '{}'`,
            ...(debug
              ? [
                  `  debug:   ${debug.devtoolsUrl}`,
                  `           ${debug.webSocketUrl} (chrome://inspect and VS Code's attach find it on ${debug.url.replace(/^http:\/\//, "")})`,
                ]
              : []),
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
