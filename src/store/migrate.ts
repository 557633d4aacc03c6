import { Migrator } from "kysely";
import type { Kysely, MigrationProvider } from "kysely";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/**
 * Brings the database to the latest schema; a no-op when it is there already. Kysely's migrator takes a
 * lock, so nodes starting together migrate once. `migrationTableSchema` pins its bookkeeping tables on
 * PostgreSQL, where its existence check would otherwise match a table of the same name in any schema.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  options: { migrationTableSchema?: string } = {},
): Promise<void> {
  const migrator = new Migrator({ db, provider, ...options });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    throw new Error(`store migration ${failed ?? ""} failed: ${String(error)}`, { cause: error });
  }
}
