import { mkdirSync } from "node:fs";
import path from "node:path";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "../schema.js";

const SQLITE_MEMORY = ":memory:";

/**
 * Opens a SQLite database file, creating its directory if missing. WAL lets readers run beside the one
 * writer; synchronous=NORMAL is durable in WAL mode except for the last commits on power loss. Commits
 * that must survive power loss too (an accepted async invocation) fsync the WAL file after committing
 * (src/store/repositories/queue.ts), which also makes every earlier commit durable.
 */
export async function connectSqlite(file: string): Promise<Kysely<Database>> {
  // Loaded here, not at import, so a PostgreSQL node never loads the native module.
  const { default: BetterSqlite3 } = await import("better-sqlite3");
  if (file !== SQLITE_MEMORY) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
