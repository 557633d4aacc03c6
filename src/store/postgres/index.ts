import { sql, type Kysely } from "kysely";
import { createKyselyStore } from "../kysely-store.js";
import { migrateToLatest } from "../migrate.js";
import type { Database } from "../schema.js";
import type { Store } from "../store.js";
import { connectPostgres, currentSchema } from "./connect.js";
import type { PostgresOptions } from "./connect.js";
import { isUniqueViolation } from "./errors.js";

export type { PostgresOptions } from "./connect.js";

/** Connects to PostgreSQL (`postgres://…`), migrates, and returns the store; see PostgresOptions. */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const db = await connectPostgres(url, options);
  try {
    await migrateAlone(db, await currentSchema(db));
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return createKyselyStore(db, { dialect: "postgres", isUniqueViolation });
}

/**
 * Migrates with every other node that opens the same schema waiting: Kysely's migrator locks only around
 * the migrations themselves, and the bookkeeping tables it makes before that raced when nodes started
 * together on an empty schema (one node failed to start: column "timestamp" of relation "kysely_migration"
 * does not exist). A session advisory lock on a connection of its own, keyed on the schema.
 */
async function migrateAlone(db: Kysely<Database>, schema: string): Promise<void> {
  const key = `runlet:migrate:${schema}`;
  await db.connection().execute(async (lock) => {
    await sql`select pg_advisory_lock(hashtextextended(${key}, 0))`.execute(lock);
    try {
      await migrateToLatest(db, { migrationTableSchema: schema });
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(lock);
    }
  });
}
