import { adapterOf } from "../dialect.js";
import { createKyselyStore } from "../kysely-store.js";
import { migrateToLatest } from "../migrate.js";
import type { Store } from "../store.js";
import { connectSqlite } from "./connect.js";
import { isUniqueViolation } from "./errors.js";

/** Opens (creating if needed) and migrates a SQLite store; `file` may be ":memory:". */
export async function openSqliteStore(file: string): Promise<Store> {
  const db = await connectSqlite(file);
  try {
    await migrateToLatest(db);
  } catch (err) {
    await adapterOf(db).release(); // the checkpoint thread too
    await db.destroy();
    throw err;
  }
  return createKyselyStore(db, { dialect: "sqlite", isUniqueViolation });
}
