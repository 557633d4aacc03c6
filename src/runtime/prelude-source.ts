import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let dir: string | undefined;
const cached = new Map<string, string>();

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

function sandboxScript(name: string): string {
  let source = cached.get(name);
  if (source !== undefined) return source;
  const file = path.join(sandboxDir(), `${name}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  source = readFileSync(file, "utf8");
  cached.set(name, source);
  return source;
}

/** The prebuilt sandbox prelude (dist/sandbox/prelude.js, made by scripts/build.mjs). */
export function preludeSource(): string {
  return sandboxScript("prelude");
}

/** The gate that bounds host-call arguments before they are copied (dist/sandbox/gate.js). */
export function gateSource(): string {
  return sandboxScript("gate");
}
