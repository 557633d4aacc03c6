import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { timestamp, type Time } from "../format.js";
import { validateName } from "../project.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

/** Who made a call: the key's name when the server knows it, else the actor (`key:<id>`, `token:<key id>`). */
interface Actor {
  actor: string;
  keyName: string | null;
}

interface VersionSummary {
  version: number;
  createdAt: Time;
  /** Absent from servers older than migration 011; null for versions stored before it. */
  createdBy?: Actor | null;
  style: string;
  digest: string;
  deployed: boolean;
  deployedAt?: Time | null;
  deployedBy?: Actor | null;
}

const who = (a: Actor | null | undefined) => (a ? (a.keyName ?? a.actor) : "");

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
            who(v.createdBy),
            v.deployedAt ? `${timestamp(v.deployedAt)} ${who(v.deployedBy)}`.trim() : "",
            v.style,
            (v.digest ?? "").slice(0, 12),
            v.deployed ? "deployed" : "",
          ]);
        return out.table(["version", "created", "by", "last deployed", "style", "digest", ""], rows);
      });
    });
}
