// Node compatibility for bundled npm packages (used by `runlet deploy` and by the server's compile of
// uploads): the Node built-ins that can work without a host (buffer, events, util, path, url, querystring,
// string_decoder, stream, process and a crypto subset) resolve to polyfills (unenv for buffer, util, path
// and process; node core's own modules published standalone for events, stream, url, querystring and
// string_decoder; our crypto subset over the sandbox's hashes); the ones that need the host (fs, child_process, net, …) and native
// addons fail the build naming the module and who imported it.
import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";

let root: string | undefined;

/** The runlet package's folder (where its node_modules and the shims are), from src/ or dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the runlet package root from ${import.meta.url}`);
    dir = parent;
  }
  root = dir;
  return dir;
}

const unenv = (name: string) => `node_modules/unenv/runtime/node/${name}.mjs`;
const shim = (name: string, ext = "js") => `src/runtime/node-shims/${name}.${ext}`;

/** Built-in → the file (relative to the package root) that stands in for it. */
const POLYFILLS: Record<string, string> = {
  buffer: unenv("buffer/index"),
  events: shim("events", "cjs"),
  util: unenv("util/index"),
  "util/types": unenv("util/types/index"),
  path: unenv("path/index"),
  "path/posix": unenv("path/index"),
  stream: shim("stream", "cjs"),
  "stream/promises": "node_modules/readable-stream/lib/stream/promises.js",
  "stream/web": unenv("stream/web/index"),
  process: unenv("process/index"),
  url: shim("url"),
  querystring: shim("querystring"),
  string_decoder: shim("string_decoder"),
  crypto: shim("crypto"),
  punycode: "node_modules/punycode/punycode.es6.js",
};

/** The built-ins bundled code may import, for messages and docs. */
export const SUPPORTED_BUILTINS = Object.keys(POLYFILLS).filter((name) => !name.includes("/"));

const NATIVE_LOADERS = new Set([
  "bindings",
  "node-gyp-build",
  "node-pre-gyp",
  "@mapbox/node-pre-gyp",
  "prebuild-install",
]);

function builtinName(specifier: string): string | undefined {
  const name = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
  // "process/", "buffer/": the npm package of that name, which exists to be this polyfill.
  if (name.endsWith("/") && POLYFILLS[name.slice(0, -1)]) return name.slice(0, -1);
  return builtinModules.includes(name) || POLYFILLS[name] ? name : undefined;
}

const injectFile = () => path.join(packageRoot(), shim("inject"));

/** What a build that uses the Node compatibility layer needs besides the plugin. */
export function nodeCompatOptions(): { inject: string[]; define: Record<string, string> } {
  return {
    inject: [injectFile()],
    define: { global: "globalThis", "process.env.NODE_ENV": '"production"' },
  };
}

/**
 * Resolves Node built-ins to their polyfills; fails the build for built-ins that need the host and for
 * native addons. `describe(importer)` turns an importer path into something short for the message.
 */
export function nodeCompat(describe: (importer: string) => string = (importer) => importer): Plugin {
  return {
    name: "runlet-node-compat",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        const from = args.importer ? ` (imported by ${describe(args.importer)})` : "";
        if (NATIVE_LOADERS.has(args.path)) {
          return {
            errors: [
              {
                text: `"${args.path}" loads a native addon${from}: native addons cannot run in a V8 isolate; use a pure-JavaScript package instead`,
              },
            ],
          };
        }
        const name = builtinName(args.path);
        if (name === undefined) return undefined;
        const file = POLYFILLS[name];
        if (!file) {
          return {
            errors: [
              {
                text: `the Node.js module "${name}"${from} is not available in Runlet's sandbox (it needs the host); Node modules that work: ${SUPPORTED_BUILTINS.join(", ")}`,
              },
            ],
          };
        }
        // The injected free `Buffer` and `process` come without side effects: esbuild then bundles them only
        // into code that uses them (a 4-line function stays a few lines instead of 57 KiB of polyfills).
        const lazy = args.importer === injectFile();
        return { path: path.join(packageRoot(), file), ...(lazy ? { sideEffects: false } : {}) };
      });
      b.onLoad({ filter: /\.node$/ }, (args) => ({
        errors: [
          {
            text: `native addon ${describe(args.path)} cannot run in a V8 isolate; use a pure-JavaScript package instead`,
          },
        ],
      }));
    },
  };
}
