// Builds dist/: the platform and CLI (ESM, node), the sandbox prelude (an IIFE run inside each isolate) and
// the web console (console/, with Vite, into dist/console).
// `--if-stale` skips the build when dist/ is newer than every source file (keeps `npm start` fast).
import { build } from "esbuild";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stamp = path.join(root, "dist", "main.js");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

if (process.argv.includes("--if-stale") && existsSync(stamp)) {
  const sources = Math.max(
    newestMtime(path.join(root, "src")),
    newestMtime(path.join(root, "console")),
    statSync(path.join(root, "package.json")).mtimeMs,
  );
  if (statSync(stamp).mtimeMs >= sources) process.exit(0);
}

/**
 * What runs inside isolates: no Node. Packages resolve by "module", then "main" (whatwg-url is CommonJS);
 * in the url library tr46 is a lazy stand-in and whatwg-url's legacy encodings are left out (url.ts).
 */
const SANDBOX = {
  absWorkingDir: root,
  outdir: "dist",
  bundle: true,
  platform: "neutral",
  mainFields: ["module", "main"],
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [
    {
      name: "sandbox-stand-ins",
      setup(b) {
        if (b.initialOptions.entryPoints?.["sandbox/url"] === undefined) return;
        const to = (file) => () => ({ path: path.join(root, "src/runtime/sandbox", file) });
        b.onResolve({ filter: /^tr46$/ }, to("tr46-lazy.ts"));
        b.onResolve({ filter: /^@exodus\/bytes\/encoding\.js$/ }, to("no-legacy-encodings.ts"));
      },
    },
  ],
};

const started = performance.now();
// Chunk names carry content hashes: start clean so stale chunks never pile up.
rmSync(path.join(root, "dist"), { recursive: true, force: true });
/** The web console: Preact + CodeMirror (lazy) + uPlot (lazy), served by the gateway at /console/. */
async function buildConsole() {
  const { build: vite } = await import("vite");
  await vite({
    root: path.join(root, "console"),
    base: "/console/",
    configFile: false,
    logLevel: "warn",
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    build: {
      outDir: path.join(root, "dist", "console"),
      emptyOutDir: true,
      target: "es2022",
      reportCompressedSize: false,
      chunkSizeWarningLimit: 1024,
    },
  });
}

await Promise.all([
  buildConsole(),
  build({
    absWorkingDir: root,
    entryPoints: {
      main: "src/main.ts",
      cli: "src/cli/main.ts",
      "compile-child": "src/runtime/compile-child.ts",
      "inspect-child": "src/runtime/inspector/child.ts",
    },
    outdir: "dist",
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "esm",
    // Code only some commands need (isolates, esbuild) loads on demand: `runlet list` stays fast.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: true,
    logLevel: "warning",
  }),
  build({
    ...SANDBOX,
    // The gate runs before the prelude (src/runtime/sandbox/gate.ts): its own script, so it has its own scope.
    entryPoints: {
      "sandbox/gate": "src/runtime/sandbox/gate.ts",
      "sandbox/prelude": "src/runtime/sandbox/prelude.ts",
    },
    format: "iife",
  }),
  // Libraries an isolate loads the first time it needs one (src/runtime/sandbox/libs.ts).
  build({
    ...SANDBOX,
    entryPoints: { "sandbox/url": "src/runtime/sandbox/libs/url.ts" },
    format: "iife",
  }),
  build({
    ...SANDBOX,
    entryPoints: {
      "sandbox/idna": "src/runtime/sandbox/libs/idna.ts",
      "sandbox/hashes": "src/runtime/sandbox/libs/hashes.ts",
    },
    format: "iife",
  }),
]);
console.error(`runlet: built dist/ in ${Math.round(performance.now() - started)} ms`);
