import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { CliError, usageError } from "./cli-error.js";

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
export const CONFIG_FILE = "runlet.json";
/** Tried in order when runlet.json names no "entry". */
export const ENTRY_CANDIDATES = ["index.ts", "index.js", "index.mjs", "src/index.ts"];

/** A function folder: its name, entry file and the settings from runlet.json sent along with the code. */
export interface Project {
  dir: string;
  name: string;
  /** The file to bundle; empty for a sequence, which has no code. */
  entry: string;
  /** runlet.json minus `name`, `entry` and `$schema`-style keys: `timeoutMs`, `memoryMb`, `env`, … */
  config: Record<string, unknown>;
}

export function validateName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw usageError(
      `invalid function name "${name}"`,
      "use lower-case letters, digits and dashes, starting with a letter (at most 63 characters)",
      "RUNLET_ERR_INVALID_NAME",
    );
  }
  return name;
}

/** Reads `dir` as a function folder; `nameOverride` (from --name) beats runlet.json, which beats the folder name. */
export function readProject(dir: string, nameOverride?: string): Project {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError("RUNLET_ERR_BAD_REQUEST", `no such folder: ${dir}`, {
      hint: "pass the folder of a function, e.g. `runlet deploy hello` (create one with `runlet init hello`)",
    });
  }
  const file = readConfigFile(dir);
  const { name: fileName, entry: declared, ...rest } = file;
  const config = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith("$")));
  const name = nameOverride ?? (typeof fileName === "string" ? fileName : path.basename(dir));
  if (!NAME_PATTERN.test(name) && nameOverride === undefined && fileName === undefined) {
    throw usageError(
      `the folder name "${name}" is not a valid function name`,
      `set "name" in ${CONFIG_FILE} or pass --name`,
      "RUNLET_ERR_INVALID_NAME",
    );
  }
  validateName(name);
  // A sequence (runlet.json with "sequence") is made of other functions and has no code to bundle.
  const entry = config.sequence !== undefined ? "" : findEntry(dir, declared);
  return { dir, name, entry, config };
}

export function readConfigFile(dir: string): Record<string, unknown> {
  const file = path.join(dir, CONFIG_FILE);
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError("RUNLET_ERR_INVALID_CONFIG", `${file}: ${(err as Error).message}`, {
      hint: `fix the JSON in ${CONFIG_FILE}`,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliError("RUNLET_ERR_INVALID_CONFIG", `${file} must hold a JSON object`, {
      hint: '{ "name": "hello", "timeoutMs": 5000 }',
    });
  }
  return parsed as Record<string, unknown>;
}

export function findEntry(dir: string, declared?: unknown): string {
  if (declared !== undefined) {
    const entry = typeof declared === "string" ? path.resolve(dir, declared) : "";
    if (entry && existsSync(entry)) return entry;
    throw new CliError(
      "RUNLET_ERR_INVALID_CONFIG",
      `the entry ${JSON.stringify(declared)} in ${CONFIG_FILE} does not exist`,
      {
        hint: `set "entry" to a file path relative to ${dir}`,
      },
    );
  }
  for (const candidate of ENTRY_CANDIDATES) {
    const entry = path.join(dir, candidate);
    if (existsSync(entry)) return entry;
  }
  throw new CliError("RUNLET_ERR_INVALID_CONFIG", `no entry file in ${dir}`, {
    hint: `add ${ENTRY_CANDIDATES.join(", ")} or set "entry" in ${CONFIG_FILE}`,
  });
}
