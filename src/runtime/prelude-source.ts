import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let dir: string | undefined;
let cached: string | undefined;

/** dist/sandbox/, where scripts/build.mjs puts the prelude and the libraries isolates load on demand. */
export function sandboxDir(): string {
  if (dir !== undefined) return dir;
  let at = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(at, "package.json"))) {
    const parent = path.dirname(at);
    if (parent === at) throw new Error("cannot find the runlet package root from " + import.meta.url);
    at = parent;
  }
  return (dir = path.join(at, "dist", "sandbox"));
}

/** The prebuilt sandbox prelude (dist/sandbox/prelude.js, made by scripts/build.mjs). */
export function preludeSource(): string {
  if (cached !== undefined) return cached;
  const file = path.join(sandboxDir(), "prelude.js");
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  cached = readFileSync(file, "utf8");
  return cached;
}
