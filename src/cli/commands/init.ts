import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Option, type Command } from "commander";
import type { HandlerStyle } from "../../model/function.js";
import { CliError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { CONFIG_FILE, validateName } from "../project.js";
import { packageRoot } from "../../runtime/node-compat.js";
import { STYLES, template, tsconfig } from "../templates/index.js";
import { JSON_HELP, type JsonOption } from "./shared.js";

interface InitOptions extends JsonOption {
  style: HandlerStyle;
  js?: boolean;
}

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command("init")
    .description("create a function folder from a template")
    .argument("<name>", "function name: lower-case letters, digits and dashes")
    .addOption(new Option("--style <style>", "handler style").choices(STYLES).default("event"))
    .option("--js", "write JavaScript instead of TypeScript")
    .option("--json", JSON_HELP)
    .action((name: string, options: InitOptions) => {
      const out = ctx.output(options);
      validateName(name);
      const dir = path.resolve(ctx.io.cwd, name);
      ensureEmptyFolder(dir, name);
      const entry = options.js ? "index.js" : "index.ts";
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, entry), template(options.style, options.js ? "js" : "ts", name));
      writeFileSync(path.join(dir, CONFIG_FILE), `${JSON.stringify({ name }, null, 2)}\n`);
      const written = [entry, CONFIG_FILE];
      if (!options.js) {
        // Type-checks as is (`npx tsc -p <name>`): the author types of this runlet install.
        const types = path
          .relative(dir, path.join(packageRoot(), "types", "index.d.ts"))
          .split(path.sep)
          .join("/");
        writeFileSync(
          path.join(dir, "tsconfig.json"),
          tsconfig(types.startsWith(".") ? types : `./${types}`),
        );
        written.push("tsconfig.json");
      }
      const files = written.map((file) => path.join(name, file));
      out.result({ name, dir, style: options.style, files }, () =>
        [
          `created ${name}/ (${options.style} style, ${options.js ? "JavaScript" : "TypeScript"})`,
          ...files.map((file) => `  ${file}`),
          "",
          // npm install puts no `runlet` on the PATH; npx finds the one in node_modules.
          "next:",
          `  npx runlet deploy ${name}`,
          `  npx runlet invoke ${name} --data '{"name":"Ada"}'`,
          `  npx runlet dev ${name}   # serve it locally, redeployed on every save`,
        ].join("\n"),
      );
    });
}

function ensureEmptyFolder(dir: string, name: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) {
    throw new CliError("RUNLET_ERR_CONFLICT", `${name} already exists and is not a folder`, {
      hint: "pick another name, or remove the file",
    });
  }
  if (readdirSync(dir).length > 0) {
    throw new CliError("RUNLET_ERR_CONFLICT", `${name}/ already exists and is not empty`, {
      hint: "pick another name, or remove the folder first",
    });
  }
}
