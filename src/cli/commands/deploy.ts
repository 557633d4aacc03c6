import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { bundleFunction } from "../bundle.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { bytes, duration } from "../format.js";
import type { Output } from "../output.js";
import { readProject, validateName } from "../project.js";
import { addCanaryOptions, deployCanary, type CanaryOptions } from "./canary.js";
import { JSON_HELP, positiveInt, type JsonOption } from "./shared.js";

interface DeployOptions extends JsonOption, CanaryOptions {
  name?: string;
  deploy: boolean;
  version?: number;
}

/** `PUT …/functions/{name}` answers at least `{name, version, state}`; `style` when the server sends it. */
interface PutResponse {
  name: string;
  version: number;
  state: string;
  style?: string;
}

export function registerDeploy(program: Command, ctx: CliContext): void {
  const command = program
    .command("deploy")
    .description(
      "bundle a function folder, upload it as a new version and deploy it (or, with --percent, run it as a canary)",
    )
    .argument("[dir]", "the function's folder", ".")
    .option("--name <name>", "function name (default: runlet.json's name, else the folder's)")
    .option("--no-deploy", "upload a new version without deploying it")
    .option(
      "--version <n>",
      "deploy this already uploaded version instead (nothing is bundled)",
      positiveInt,
    );
  addCanaryOptions(command)
    .option("--json", JSON_HELP)
    .action(async (dir: string, options: DeployOptions) => {
      const out = ctx.output(options);
      if (options.percent === undefined && options.maxErrorRate !== undefined) {
        throw new CliError("RUNLET_ERR_INVALID_ROLLOUT", "--max-error-rate needs a canary", {
          hint: "add --percent, e.g. runlet deploy --percent 10 --max-error-rate 0.05",
        });
      }
      if (options.version !== undefined) return deployVersion(ctx, out, dir, options);
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
          query: { deploy: options.deploy && options.percent === undefined ? true : undefined },
          body: project.entry === "" ? project.config : { source: bundle.code, ...project.config },
        }),
      );
      if (options.percent !== undefined && options.deploy)
        return deployCanary(client, out, project.name, uploaded.version, options);
      const style = uploaded.style ?? (await client.json<{ style?: string }>("GET", fnPath)).style;
      const durationMs = Math.round(performance.now() - started);
      const summary = {
        ...uploaded,
        style,
        deployed: options.deploy,
        bundleBytes: bundle.code.length,
        durationMs,
      };
      const url = style === "http" ? client.webUrl(project.name) : undefined;
      out.result(url ? { ...summary, url } : summary, () => {
        const what = `${project.name} version ${uploaded.version}${style ? ` (${style} style)` : ""}`;
        if (options.deploy)
          return [`deployed ${what} in ${duration(durationMs)}`, ...(url ? [`  url: ${url}`] : [])].join(
            "\n",
          );
        return [
          `uploaded ${what}, ${bytes(bundle.code.length)}, not deployed`,
          "next:",
          `  runlet deploy ${project.name} --version ${uploaded.version}   # deploy it`,
          `  runlet invoke ${project.name} --local ${dir === "." ? "." : dir}   # or try it here first`,
        ].join("\n");
      });
    });
}

/** `deploy <name|dir> --version N`: points the function at a version it already has (no bundle, no upload). */
async function deployVersion(
  ctx: CliContext,
  out: Output,
  target: string,
  options: DeployOptions,
): Promise<void> {
  const folder = path.resolve(ctx.io.cwd, target);
  const name =
    options.name ??
    (existsSync(folder) && statSync(folder).isDirectory() ? readProject(folder).name : validateName(target));
  const client = ctx.client();
  if (options.percent !== undefined) return deployCanary(client, out, name, options.version!, options);
  const answer = await client.json<{ deployedVersion?: number; style?: string }>(
    "POST",
    client.functionPath(name, "deploy"),
    {
      body: { version: options.version },
    },
  );
  const fn = await client.json<{ style?: string }>("GET", client.functionPath(name));
  const url = fn.style === "http" ? client.webUrl(name) : undefined;
  const result = {
    name,
    deployedVersion: answer.deployedVersion ?? options.version,
    ...(url ? { url } : {}),
  };
  out.result(result, () =>
    [`${name} now runs version ${result.deployedVersion}`, ...(url ? [`  url: ${url}`] : [])].join("\n"),
  );
}
