import { readFileSync } from "node:fs";
import path from "node:path";
import type { Message } from "esbuild";
import { nodeCompat, nodeCompatOptions, packageRoot } from "../runtime/node-compat.js";
import { tidySourceMap } from "../runtime/source-map.js";
import { toolbelt } from "../compat/build/toolbelt-plugin.js";
import { CliError } from "./cli-error.js";

export interface Bundle {
  code: string;
  entry: string;
  durationMs: number;
}

/** A classic-style module defines `function lambda` at top level and exports nothing. */
const CLASSIC = /^\s*(?:async\s+)?function\s+lambda\s*\(/m;
const ESM_EXPORT = /^\s*export\s/m;

/**
 * Bundles a function's entry file and everything it imports (npm dependencies from the folder's node_modules
 * included) into one ES module the platform can run: worker/browser package variants, Node built-ins through
 * the polyfills of runtime/node-compat.ts (fs, net, child_process and native addons are refused by name).
 * `cwd` only shortens file names in error messages.
 */
export async function bundleFunction(entry: string, cwd = process.cwd()): Promise<Bundle> {
  const started = performance.now();
  const { build } = await import("esbuild");
  const source = readFileSync(entry, "utf8");
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: path.dirname(entry),
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      conditions: ["worker", "browser"],
      target: "es2022",
      // A classic module's `lambda` is used by nobody inside it, so tree shaking would drop it.
      treeShaking: !(CLASSIC.test(source) && !ESM_EXPORT.test(source)),
      logLevel: "silent",
      // The map goes up inline; the server's compile carries it through, so stack frames name these files.
      sourcemap: "external",
      outfile: path.join(path.dirname(entry), BUNDLE_NAME),
      // Node built-ins that can work in an isolate resolve to polyfills; the rest fail here, by name.
      plugins: [
        toolbelt(packageRoot()),
        nodeCompat((file) => path.relative(cwd, path.resolve(path.dirname(entry), file)) || file),
      ],
      ...nodeCompatOptions(),
    });
    const code = result.outputFiles.find((file) => !file.path.endsWith(".map"))?.text ?? "";
    const map = result.outputFiles.find((file) => file.path.endsWith(".map"))?.text;
    return { code: withInlineMap(code, map), entry, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) throw err;
    throw bundleError(errors, path.dirname(entry), cwd);
  }
}

/** The bundle's name in its source map; nothing is written to disk. */
const BUNDLE_NAME = "runlet-bundle.js";
/** Past this, the map is left out: the upload would grow past the server's code limit (10 MiB). */
const MAX_INLINE_MAP = 4 * 1024 * 1024;

function withInlineMap(code: string, map: string | undefined): string {
  if (map === undefined) return code;
  const tidy = Buffer.from(tidySourceMap(map)).toString("base64");
  if (tidy.length > MAX_INLINE_MAP || code.length + tidy.length > 2 * MAX_INLINE_MAP) return code;
  return `${code}//# sourceMappingURL=data:application/json;base64,${tidy}\n`;
}

function bundleError(errors: Message[], dir: string, cwd: string): CliError {
  const shown = errors.slice(0, 5).map((e) => describe(e, dir, cwd));
  if (errors.length > shown.length) shown.push(`… and ${errors.length - shown.length} more errors`);
  const first = errors[0]?.text ?? "";
  const hint = /not available in Runlet's sandbox|native addon/.test(first)
    ? "functions run in a V8 isolate without Node built-ins that need the host (files, processes, sockets); use web APIs (fetch, crypto.subtle), ctx.kv, or a pure-JavaScript package"
    : /Could not resolve/.test(first)
      ? "install the package in the function's folder (npm install <package>) or fix the import path"
      : undefined;
  return new CliError("RUNLET_ERR_COMPILE", shown.join("\n"), hint === undefined ? {} : { hint });
}

/** `hello/index.ts:3:11: Unexpected ";"` plus the offending line with a caret. */
function describe(message: Message, dir: string, cwd: string): string {
  const loc = message.location;
  if (!loc) return message.text;
  const file = path.relative(cwd, path.resolve(dir, loc.file)) || loc.file;
  const gutter = `${loc.line} | `;
  return [
    `${file}:${loc.line}:${loc.column + 1}: ${message.text}`,
    `  ${gutter}${loc.lineText}`,
    `  ${" ".repeat(gutter.length - 2)}| ${" ".repeat(loc.column)}^`,
  ].join("\n");
}
