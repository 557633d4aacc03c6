import type { Kysely, Migration } from "kysely";

/**
 * Indexes for the queries that read activations by time: the stats and usage APIs, the console's charts
 * and the last-hour numbers of `GET …/functions/{name}`. Without them each of these scanned every record
 * of the account (and on SQLite the scan runs on the server's thread).
 */
export const activationTimeIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex("activations_account_started")
      .on("activations")
      .columns(["account", "started_at"])
      .execute();
    await db.schema
      .createIndex("activations_function_started")
      .on("activations")
      .columns(["account", "function", "started_at"])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("activations_function_started").ifExists().execute();
    await db.schema.dropIndex("activations_account_started").ifExists().execute();
  },
};
