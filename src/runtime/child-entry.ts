import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "./node-compat.js";

/** The scripts Runlet forks (scripts/build.mjs builds each as dist/<name>.js). */
const SOURCES = {
  "compile-child": "src/runtime/compile-child.ts",
  "inspect-child": "src/runtime/inspector/child.ts",
} as const;

const built = new Map<string, Promise<string>>();

/**
 * A child process's script: dist/<name>.js as built, or, when running from the TypeScript sources
 * (tests), a bundle of its source made once per process (starting node with a TypeScript loader would
 * add seconds to every child's start).
 */
export function childEntry(name: keyof typeof SOURCES): Promise<string> {
  if (!import.meta.url.endsWith(".ts")) return Promise.resolve(path.join(packageRoot(), `dist/${name}.js`));
  let entry = built.get(name);
  if (!entry) built.set(name, (entry = bundle(name, SOURCES[name])));
  return entry;
}

async function bundle(name: string, source: string): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(packageRoot(), source)],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  const text = result.outputFiles[0]?.text ?? "";
  // Under node_modules, so its imports resolve; named by content, so parallel test processes agree.
  const dir = path.join(packageRoot(), "node_modules", ".cache", "runlet");
  const file = path.join(dir, `${name}-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
  }
  return file;
}
