import path from "node:path";
import type { Command } from "commander";
import { bundleFunction } from "../bundle.js";
import type { CliContext } from "../context.js";
import { bytes, duration } from "../format.js";
import { readProject } from "../project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface DeployOptions extends JsonOption {
  name?: string;
  deploy: boolean;
}

/** `PUT …/functions/{name}` answers at least `{name, version, state}`; `style` when the server sends it. */
interface PutResponse {
  name: string;
  version: number;
  state: string;
  style?: string;
}

export function registerDeploy(program: Command, ctx: CliContext): void {
  program
    .command("deploy")
    .description("bundle a function folder, upload it as a new version and deploy it")
    .argument("[dir]", "the function's folder", ".")
    .option("--name <name>", "function name (default: runlet.json's name, else the folder's)")
    .option("--no-deploy", "upload a new version without deploying it")
    .option("--json", JSON_HELP)
    .action(async (dir: string, options: DeployOptions) => {
      const out = ctx.output(options);
      const started = performance.now();
      const project = readProject(path.resolve(ctx.io.cwd, dir), options.name);
      const client = ctx.client();
      const bundle =
        project.entry === ""
          ? { code: "" }
          : await out.progress("bundling…", () => bundleFunction(project.entry, ctx.io.cwd));
      const fnPath = client.functionPath(project.name);
      const uploaded = await out.progress("uploading…", () =>
        client.json<PutResponse>("PUT", fnPath, {
          query: { deploy: options.deploy ? true : undefined },
          body: project.entry === "" ? project.config : { source: bundle.code, ...project.config },
        }),
      );
      const style = uploaded.style ?? (await client.json<{ style?: string }>("GET", fnPath)).style;
      const durationMs = Math.round(performance.now() - started);
      const summary = {
        ...uploaded,
        style,
        deployed: options.deploy,
        bundleBytes: bundle.code.length,
        durationMs,
      };
      out.result(summary, () => {
        const what = `${project.name} version ${uploaded.version}${style ? ` (${style} style)` : ""}`;
        if (options.deploy) return `deployed ${what} in ${duration(durationMs)}`;
        return [
          `uploaded ${what}, ${bytes(bundle.code.length)}, not deployed`,
          `deploy it with: runlet rollback ${project.name} --to ${uploaded.version}`,
        ].join("\n");
      });
    });
}
