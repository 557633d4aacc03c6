import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { timestamp, type Time } from "../format.js";
import { validateName } from "../project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface VersionSummary {
  version: number;
  createdAt: Time;
  style: string;
  digest: string;
  deployed: boolean;
}

export function registerVersions(program: Command, ctx: CliContext): void {
  program
    .command("versions")
    .description("list a function's kept versions, newest first")
    .argument("<name>", "function name")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const body = await client.json<{ versions: VersionSummary[] }>(
        "GET",
        client.functionPath(name, "versions"),
      );
      out.result(body, () => {
        if (body.versions.length === 0) return `${name} has no versions`;
        const rows = [...body.versions]
          .sort((a, b) => b.version - a.version)
          .map((v) => [
            String(v.version),
            timestamp(v.createdAt),
            v.style,
            (v.digest ?? "").slice(0, 12),
            v.deployed ? "deployed" : "",
          ]);
        return out.table(["version", "created", "style", "digest", ""], rows);
      });
    });
}
