import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CliError } from "./cli-error.js";
import { NAME_PATTERN } from "./project.js";

/** A function folder of the hosted platform's CLI (`lpf`): functions/<name>/{index.js, config.json}. */
export interface HostedProject {
  dir: string;
  entry: string;
  /** The Runlet name (the hosted name, made a valid one: lower case, dashes). */
  name: string;
  hostedName: string;
  events: string[];
  env: Record<string, string>;
  secrets: { key: string; value: string }[];
  domains: string[];
}

interface KeyValue {
  key?: unknown;
  value?: unknown;
}

function readJson(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError("RUNLET_ERR_INVALID_CONFIG", `${file}: ${(err as Error).message}`, {
      hint: "fix the JSON (as `lpf pull` wrote it)",
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliError("RUNLET_ERR_INVALID_CONFIG", `${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Only entries with a key: the hosted templates ship `[{"key": "", "value": ""}]` as a placeholder. */
function pairs(list: unknown): { key: string; value: string }[] {
  if (!Array.isArray(list)) return [];
  return (list as KeyValue[])
    .filter((kv) => typeof kv?.key === "string" && kv.key !== "")
    .map((kv) => ({ key: kv.key as string, value: String(kv.value ?? "") }));
}

/** `My_Function` → `my-function`: what the hosted name becomes when it is not a valid Runlet name. */
export function runletName(hosted: string): string {
  const name = hosted
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "")
    .slice(0, 63);
  return name;
}

/** Reads a hosted function folder; settings.json is beside config.json or one folder up (functions/). */
export function readHostedProject(dir: string, nameOverride?: string): HostedProject {
  const configFile = path.join(dir, "config.json");
  if (!existsSync(configFile)) {
    throw new CliError("RUNLET_ERR_BAD_REQUEST", `no config.json in ${dir}`, {
      hint: "pass a hosted function's folder, e.g. `runlet import functions/myFunction` (as `lpf pull` writes it)",
    });
  }
  const config = readJson(configFile);
  const entry = path.join(dir, "index.js");
  if (!existsSync(entry)) throw new CliError("RUNLET_ERR_BAD_REQUEST", `no index.js in ${dir}`);
  const settingsFile = [path.join(dir, "settings.json"), path.join(dir, "..", "settings.json")].find(
    existsSync,
  );
  const settings = settingsFile ? readJson(settingsFile) : {};
  const hostedName = typeof config.name === "string" && config.name ? config.name : path.basename(dir);
  const name = nameOverride ?? runletName(hostedName);
  if (!NAME_PATTERN.test(name)) {
    throw new CliError("RUNLET_ERR_INVALID_NAME", `"${hostedName}" cannot be made a Runlet function name`, {
      hint: "pass --name with lower-case letters, digits and dashes, starting with a letter",
      exitCode: 2,
    });
  }
  const event = typeof config.event === "string" ? config.event : "";
  const whitelist = Array.isArray(settings.whitelist) ? settings.whitelist : [];
  return {
    dir,
    entry,
    name,
    hostedName,
    events: event && event !== "No Event" ? [event] : [],
    env: Object.fromEntries(pairs(config.environmentVariables).map((kv) => [kv.key, kv.value])),
    secrets: pairs(settings.secrets),
    domains: whitelist.filter((d): d is string => typeof d === "string" && d.trim() !== ""),
  };
}
