import { mkdirSync } from "node:fs";
import path from "node:path";
import { Kysely } from "kysely";
import type { Database as BetterSqlite3Database } from "better-sqlite3";
import type { Database } from "../schema.js";
import { SqliteStoreDialect } from "./adapter.js";
import { Checkpointer } from "./checkpointer.js";

const SQLITE_MEMORY = ":memory:";

/**
 * Opens a SQLite database file, creating its directory if missing. WAL lets readers run beside the one
 * writer; synchronous=NORMAL is durable in WAL mode except for the last commits on power loss. Commits
 * that must survive power loss too (an accepted async invocation) fsync the WAL file after committing
 * (./wal-sync.ts), which also makes every earlier commit durable.
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
    // Checkpoints run on a thread of their own, not inside a commit on this one (./checkpointer.ts).
    if (file !== SQLITE_MEMORY) sqlite.pragma("wal_autocheckpoint = 0");
  } catch (err) {
    sqlite.close();
    throw err;
  }
  cachePreparedStatements(sqlite);
  const checkpointer = file === SQLITE_MEMORY ? undefined : new Checkpointer(file);
  return new Kysely<Database>({ dialect: new SqliteStoreDialect({ database: sqlite }, checkpointer) });
}

/** Statements kept per connection: the hot paths use a few dozen shapes (batch sizes vary the SQL text). */
const STATEMENT_CACHE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; compiling the SQL was ~4% of the server's CPU under
 * async load. Statements are reusable in better-sqlite3 (each run binds its own parameters, and the driver
 * never leaves one iterating), so the connection hands back the one it prepared for the same SQL text,
 * keeping the most recently used.
 */
function cachePreparedStatements(sqlite: BetterSqlite3Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source); // re-inserted below: Map order is recency
    } else {
      statement = prepare(source);
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}
