import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CliError } from "./cli-error.js";

export interface Credentials {
  url: string;
  account: string;
  key: string;
  /** Where the key came from (a file path or "RUNLET_KEY"), for error hints. */
  source: string;
}

const FILE = "credentials.json";
const DEFAULT_URL = "http://127.0.0.1:7070";
const DEFAULT_ACCOUNT = "default";

/**
 * `RUNLET_URL`, `RUNLET_ACCOUNT` and `RUNLET_KEY` win field by field; the rest comes from the file the server
 * wrote on first start: `$RUNLET_DATA_DIR/credentials.json` when that is set and exists, else the nearest
 * `.runlet/credentials.json` from `cwd` upward (so any sub-folder of the project works).
 */
export function resolveCredentials(env: NodeJS.ProcessEnv, cwd: string): Credentials {
  const file = findCredentialsFile(env, cwd);
  const stored = file === undefined ? {} : readCredentialsFile(file);
  const key = env.RUNLET_KEY || stored.key;
  if (!key) {
    throw new CliError(
      "RUNLET_ERR_UNAUTHENTICATED",
      file === undefined ? "no Runlet credentials found" : `${file} has no "key"`,
      {
        hint: "start the server with `npm start` (it writes .runlet/credentials.json), or set RUNLET_URL, RUNLET_ACCOUNT and RUNLET_KEY",
      },
    );
  }
  return {
    url: (env.RUNLET_URL || stored.url || DEFAULT_URL).replace(/\/+$/, ""),
    account: env.RUNLET_ACCOUNT || stored.account || DEFAULT_ACCOUNT,
    key,
    source: env.RUNLET_KEY ? "RUNLET_KEY" : (file ?? "RUNLET_KEY"),
  };
}

export function findCredentialsFile(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (env.RUNLET_DATA_DIR) {
    const file = path.resolve(cwd, env.RUNLET_DATA_DIR, FILE);
    if (existsSync(file)) return file;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, ".runlet", FILE);
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readCredentialsFile(file: string): Partial<Omit<Credentials, "source">> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError("RUNLET_ERR_INVALID_CONFIG", `cannot read ${file}: ${(err as Error).message}`, {
      hint: 'the file should hold {"url", "account", "key"}; delete it and restart the server to rewrite it',
    });
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const record = parsed as Record<string, unknown>;
  const text = (field: string) => (typeof record[field] === "string" ? record[field] : undefined);
  return { url: text("url"), account: text("account"), key: text("key") };
}
