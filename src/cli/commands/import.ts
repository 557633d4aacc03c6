import path from "node:path";
import type { Command } from "commander";
import { bundleFunction } from "../bundle.js";
import type { CliContext } from "../context.js";
import { readHostedProject } from "../hosted-project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface ImportOptions extends JsonOption {
  name?: string;
  deploy: boolean;
}

/**
 * `runlet import <dir>`: a hosted-platform function folder (config.json, settings.json, index.js) becomes
 * a Runlet function with the same environment variables and event, its secrets set and its domain
 * whitelist added to the account's allowlist (both need an admin key).
 */
export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command("import")
    .description("turn a hosted-platform function folder (config.json, settings.json) into a Runlet function")
    .argument("<dir>", "the function's folder, e.g. functions/myFunction")
    .option("--name <name>", "Runlet function name (default: config.json's name, made lower case)")
    .option("--no-deploy", "upload without deploying")
    .option("--json", JSON_HELP)
    .action(async (dir: string, options: ImportOptions) => {
      const out = ctx.output(options);
      const project = readHostedProject(path.resolve(ctx.io.cwd, dir), options.name);
      const client = ctx.client();
      const bundle = await out.progress("bundling…", () => bundleFunction(project.entry, ctx.io.cwd));
      for (const secret of project.secrets) {
        await client.json("PUT", client.accountPath("secrets", secret.key), {
          body: { value: secret.value },
        });
      }
      let allowlist: string[] | undefined;
      if (project.domains.length > 0) {
        const current = await client.json<{ domains: string[] }>("GET", client.accountPath("allowlist"));
        allowlist = [...new Set([...current.domains, ...project.domains])];
        await client.json("PUT", client.accountPath("allowlist"), { body: { domains: allowlist } });
      }
      const uploaded = await client.json<{ version: number; state: string }>(
        "PUT",
        client.functionPath(project.name),
        {
          query: { deploy: options.deploy ? true : undefined },
          body: { source: bundle.code, env: project.env, events: project.events },
        },
      );
      const summary = {
        name: project.name,
        hostedName: project.hostedName,
        version: uploaded.version,
        state: uploaded.state,
        events: project.events,
        env: Object.keys(project.env),
        secrets: project.secrets.map((s) => s.key),
        allowlistAdded: project.domains,
      };
      out.result(summary, () =>
        [
          `imported ${project.hostedName} as ${project.name} version ${uploaded.version} (${uploaded.state})`,
          `  event: ${project.events[0] ?? "none (external invocation only)"}`,
          `  env: ${summary.env.join(", ") || "-"}`,
          `  secrets set: ${summary.secrets.join(", ") || "-"}`,
          `  allowlist added: ${project.domains.join(", ") || "-"}`,
        ].join("\n"),
      );
    });
}
