import { createKyselyStore } from "../kysely-store.js";
import { migrateToLatest } from "../migrate.js";
import type { Store } from "../store.js";
import { connectPostgres, currentSchema } from "./connect.js";
import type { PostgresOptions } from "./connect.js";
import { isUniqueViolation } from "./errors.js";

export type { PostgresOptions } from "./connect.js";

/** Connects to PostgreSQL (`postgres://…`), migrates, and returns the store; see PostgresOptions. */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const db = await connectPostgres(url, options);
  try {
    await migrateToLatest(db, { migrationTableSchema: await currentSchema(db) });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return createKyselyStore(db, { dialect: "postgres", isUniqueViolation });
}
