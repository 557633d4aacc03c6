import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The prebuilt sandbox prelude (dist/sandbox/prelude.js, made by scripts/build.mjs). */
export function preludeSource(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the runlet package root from " + import.meta.url);
    dir = parent;
  }
  const file = path.join(dir, "dist", "sandbox", "prelude.js");
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  cached = readFileSync(file, "utf8");
  return cached;
}
