import { randomUUID } from "node:crypto";
import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/**
 * What a cluster of nodes needs to agree on:
 * - every version gets an id of its own, never reused: caches and instance pools are keyed by it, so a
 *   function deleted and created again under the same name (its version 1 again) can never be served
 *   from what a node cached of the old one;
 * - `cluster_settings`, values the first node to start writes and every later one compares (the master
 *   key's fingerprint: nodes started with different keys refuse to start).
 */
export const cluster: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("versions").addColumn("id", "text").execute();
    const rows = await (db as Kysely<VersionKeys>)
      .selectFrom("versions")
      .select(["account", "function", "version"])
      .execute();
    for (const row of rows) {
      await (db as Kysely<VersionKeys>)
        .updateTable("versions")
        .set({ id: randomUUID() })
        .where("account", "=", row.account)
        .where("function", "=", row.function)
        .where("version", "=", row.version)
        .execute();
    }
    await db.schema.createIndex("versions_id").on("versions").column("id").unique().execute();
    await db.schema
      .createTable("cluster_settings")
      .addColumn("name", bytewiseText(db), (col) => col.primaryKey())
      .addColumn("value", "text", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("cluster_settings").ifExists().execute();
    await db.schema.dropIndex("versions_id").ifExists().execute();
    await db.schema.alterTable("versions").dropColumn("id").execute();
  },
};

interface VersionKeys {
  versions: { account: string; function: string; version: number; id: string | null };
}
