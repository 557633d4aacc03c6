import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { validateName } from "../project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface PullOptions extends JsonOption {
  version?: string;
  force?: boolean;
}

interface VersionDetail {
  version: number;
  source: string;
  config: { env?: Record<string, string>; events?: (string | { type: string })[] } & Record<string, unknown>;
}

/**
 * `runlet pull <name> [dir]`: writes a function's source (the deployed version, else the latest) back to
 * `<dir>/<name>/`: index.js, runlet.json (its config, so `runlet deploy` takes it back) and a hosted-style
 * config.json (name, event, environment variables) as `lpf pull` writes it.
 */
export function registerPull(program: Command, ctx: CliContext): void {
  program
    .command("pull")
    .description("write a function's source and config back to a folder")
    .argument("<name>", "function name")
    .argument("[dir]", "where to create the function's folder", ".")
    .option("--version <n>", "a kept version instead of the deployed one")
    .option("--force", "overwrite files that exist")
    .option("--json", JSON_HELP)
    .action(async (name: string, dir: string, options: PullOptions) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const fn = await client.json<{ deployedVersion: number | null; latestVersion: number }>(
        "GET",
        client.functionPath(name),
      );
      const version = options.version ?? String(fn.deployedVersion ?? fn.latestVersion);
      const detail = await client.json<VersionDetail>("GET", client.functionPath(name, "versions", version));
      const folder = path.resolve(ctx.io.cwd, dir, name);
      const { env = {}, events = [], ...config } = detail.config;
      const event = events.map((e) => (typeof e === "string" ? e : e.type))[0] ?? "No Event";
      const files: Record<string, string> = {
        "index.js": detail.source,
        "runlet.json": `${JSON.stringify({ name, env, events, ...config }, null, 2)}\n`,
        "config.json": `${JSON.stringify(
          {
            name,
            event,
            description: "",
            input: { headers: [], payload: {} },
            environmentVariables: Object.entries(env).map(([key, value]) => ({ key, value })),
          },
          null,
          2,
        )}\n`,
      };
      const clash = Object.keys(files).filter((f) => existsSync(path.join(folder, f)));
      if (clash.length > 0 && !options.force) {
        throw new CliError("RUNLET_ERR_CONFLICT", `${folder} already has ${clash.join(", ")}`, {
          hint: `pass --force to overwrite, or pull into another folder: runlet pull ${name} <dir>`,
        });
      }
      mkdirSync(folder, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(path.join(folder, file), text);
      out.result(
        { name, version: detail.version, dir: folder, files: Object.keys(files) },
        () => `pulled ${name} version ${detail.version} into ${path.relative(ctx.io.cwd, folder) || "."}`,
      );
    });
}
