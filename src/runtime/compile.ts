import { build, type BuildFailure, type Message, type Plugin } from "esbuild";
import { RunletError } from "../errors.js";
import { nodeCompat, nodeCompatOptions, packageRoot } from "./node-compat.js";
import { tidySourceMap } from "./source-map.js";
import { toolbelt } from "../compat/build/toolbelt-plugin.js";

/** What a user uploads: one source, or several files with an entry (bundled npm packages included). */
export interface SourceInput {
  source?: string;
  files?: Record<string, string>;
  entry?: string;
}

const CLASSIC = /\bfunction\s+lambda\s*\(|\b(?:const|let|var)\s+lambda\s*=/;
const MODULE_SYNTAX = /^\s*(?:export|import)\b|\bmodule\.exports\b|\bexports\.\w+\s*=/m;
const LOADERS = {
  ".ts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".json": "json",
} as const;

function loaderFor(file: string): (typeof LOADERS)[keyof typeof LOADERS] {
  const ext = Object.keys(LOADERS).find((e) => file.endsWith(e)) as keyof typeof LOADERS | undefined;
  return ext ? LOADERS[ext] : "ts";
}

function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

/** Serves the uploaded files to esbuild; nothing on the server's disk is ever read. */
function uploadedFiles(files: Record<string, string>, entry: string): Plugin {
  const lookup = (path: string) =>
    [path, ...Object.keys(LOADERS).map((ext) => path + ext), `${path}/index.ts`, `${path}/index.js`].find(
      (candidate) => files[candidate] !== undefined,
    );
  return {
    name: "runlet-uploaded-files",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") {
          return args.path === entry ? { path: entry, namespace: "upload" } : undefined;
        }
        // Node built-ins were resolved by the node-compat plugin; its polyfills import their own files.
        if (args.namespace !== "upload") return undefined;
        if (!args.path.startsWith(".") && !args.path.startsWith("/")) {
          return {
            errors: [
              {
                text: `cannot resolve package "${args.path}": the server bundles no dependencies. Deploy with \`runlet deploy\`, which bundles node_modules into the upload`,
              },
            ],
          };
        }
        const base = args.importer.includes("/")
          ? args.importer.slice(0, args.importer.lastIndexOf("/"))
          : "";
        const found = lookup(normalise(`${base}/${args.path}`));
        if (!found) return { errors: [{ text: `cannot resolve "${args.path}" among the uploaded files` }] };
        return { path: found, namespace: "upload" };
      });
      b.onLoad({ filter: /.*/, namespace: "upload" }, (args) => {
        let contents = files[args.path] ?? "";
        // A classic hosted-lambda script defines `lambda` without exporting it: export it for detection.
        if (args.path === entry && !MODULE_SYNTAX.test(contents) && CLASSIC.test(contents)) {
          contents += "\n;export { lambda };\n";
        }
        return { contents, loader: loaderFor(args.path) };
      });
    },
  };
}

function location(message: Message): string {
  const loc = message.location;
  return loc ? `${loc.file.replace(/^upload:/, "")}:${loc.line}:${loc.column + 1}: ` : "";
}

/** A compiled module: the script the runtime evaluates and, when asked for, its source map (JSON text). */
export interface Compiled {
  code: string;
  sourceMap?: string;
}

/**
 * Transpiles and bundles TypeScript or JavaScript into one script that assigns the module's exports to
 * `__runlet_module`. Syntax errors become RUNLET_ERR_COMPILE with file, line and column.
 */
export async function compileSource(input: SourceInput): Promise<string> {
  return (await compileModule(input)).code;
}

/**
 * compileSource, plus the source map when `sourceMap` is set: it maps the script back to the uploaded
 * files, and through an inline map in an upload (what `runlet deploy` sends) back to the author's files.
 */
export async function compileModule(
  input: SourceInput,
  options: { sourceMap?: boolean } = {},
): Promise<Compiled> {
  const entry = input.files ? normalise(input.entry ?? "index.ts") : "index.ts";
  const files = input.files ?? { "index.ts": input.source ?? "" };
  if (files[entry] === undefined) {
    throw new RunletError("RUNLET_ERR_BAD_REQUEST", `entry "${entry}" is not among the uploaded files`);
  }
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "iife",
      globalName: "__runlet_module",
      platform: "neutral",
      // npm packages that the node-compat polyfills use are found by their package.json "main".
      mainFields: ["module", "main"],
      target: "es2022",
      logLevel: "silent",
      ...(options.sourceMap ? { sourcemap: "external", outfile: MAP_OUTFILE } : {}),
      // Source paths in the map are relative to this, not to the server's working directory (from inside
      // a function's folder, `runlet dev` mapped frames to `tmp/fn/index.ts` instead of `index.ts`).
      absWorkingDir: "/",
      plugins: [
        toolbelt(packageRoot()),
        nodeCompat((importer) => importer.replace(/^upload:/, "")),
        uploadedFiles(files, entry),
      ],
      ...nodeCompatOptions(),
    });
    const code = result.outputFiles.find((file) => !file.path.endsWith(".map"))?.text ?? "";
    const map = result.outputFiles.find((file) => file.path.endsWith(".map"))?.text;
    return map === undefined ? { code } : { code, sourceMap: tidySourceMap(map) };
  } catch (err) {
    const failure = err as BuildFailure;
    if (!Array.isArray(failure.errors)) throw err;
    const first = failure.errors[0];
    const more = failure.errors.length > 1 ? ` (and ${failure.errors.length - 1} more)` : "";
    throw new RunletError(
      "RUNLET_ERR_COMPILE",
      first ? `${location(first)}${first.text}${more}` : "the source does not compile",
    );
  }
}

/** esbuild needs an output name to write a map; it never reaches the disk (write: false). */
const MAP_OUTFILE = "/runlet/fn.js";
