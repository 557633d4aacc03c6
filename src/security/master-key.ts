import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, type Config } from "../config.js";

export const MASTER_KEY_FILE = "master.key";
const KEY_BYTES = 32;

/** Reads a 32-byte key written as 64 hex digits or as base64 (standard or URL-safe). */
export function parseMasterKey(text: string, origin: string): Buffer {
  const raw = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(raw)
    ? Buffer.from(raw, "hex")
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(raw)
      ? Buffer.from(raw, raw.includes("-") || raw.includes("_") ? "base64url" : "base64")
      : undefined;
  if (key?.length !== KEY_BYTES) {
    throw new ConfigError(
      `${origin} is not a valid master key: it must be 32 bytes written as 64 hex digits or base64 ` +
        `(make one with: openssl rand -hex 32)`,
    );
  }
  return key;
}

/**
 * The platform's master key: RUNLET_MASTER_KEY, else the file RUNLET_MASTER_KEY_FILE names, else (SQLite
 * only) `<dataDir>/master.key`, generated on first start with mode 0600. On PostgreSQL the nodes of a
 * cluster must share one key, so a node given none refuses to start rather than make its own.
 */
export async function loadMasterKey(
  config: Pick<Config, "masterKey" | "masterKeyFile" | "dataDir" | "databaseUrl">,
): Promise<Buffer> {
  if (config.masterKey !== undefined) return parseMasterKey(config.masterKey, "RUNLET_MASTER_KEY");
  if (config.masterKeyFile !== undefined) {
    const text = await readFile(config.masterKeyFile, "utf8").catch((err: NodeJS.ErrnoException) => {
      throw new ConfigError(
        `RUNLET_MASTER_KEY_FILE=${config.masterKeyFile} cannot be read (${err.code ?? err.message}): ` +
          `point it at a file holding the cluster's master key (make one with: openssl rand -hex 32 > master.key)`,
      );
    });
    return parseMasterKey(text, `RUNLET_MASTER_KEY_FILE=${config.masterKeyFile}`);
  }
  if (/^postgres(ql)?:/.test(config.databaseUrl)) {
    throw new ConfigError(
      "on PostgreSQL every node needs the same master key (it encrypts secrets and signs access tokens; a " +
        "node that made its own could not read the others' secrets): make one with `openssl rand -hex 32` " +
        "and give it to every node as RUNLET_MASTER_KEY (or RUNLET_MASTER_KEY_FILE, a file holding it)",
    );
  }
  const file = path.join(config.dataDir, MASTER_KEY_FILE);
  try {
    const info = await stat(file);
    if (process.platform !== "win32" && (info.mode & 0o077) !== 0) await chmod(file, 0o600);
    return parseMasterKey(await readFile(file, "utf8"), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await mkdir(config.dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    // "wx": if another process created it meanwhile, keep theirs.
    await writeFile(file, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return parseMasterKey(await readFile(file, "utf8"), file);
  }
  return key;
}
