import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/**
 * `cluster_nodes`: each node's heartbeat (a node is dead once `expires_at` passes: its claimed jobs are
 * free at once, without waiting out their lease). `cluster_counters`: the shared counters quotas and rate
 * limits count in, one row per (counter, holder); a holder's rows with an `expires_at` count only until
 * it passes, so what a dead node held (concurrency slots) comes back by itself.
 */
export const clusterNodesCounters: Migration = {
  async up(db: Kysely<unknown>) {
    const id = bytewiseText(db);
    await db.schema
      .createTable("cluster_nodes")
      .addColumn("id", id, (col) => col.primaryKey())
      .addColumn("seen_at", "bigint", (col) => col.notNull())
      .addColumn("expires_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema
      .createTable("cluster_counters")
      .addColumn("key", id, (col) => col.notNull())
      .addColumn("holder", id, (col) => col.notNull())
      .addColumn("value", "bigint", (col) => col.notNull())
      .addColumn("expires_at", "bigint")
      .addPrimaryKeyConstraint("cluster_counters_pk", ["key", "holder"])
      .execute();
    await db.schema.createIndex("cluster_counters_holder").on("cluster_counters").column("holder").execute();
    await db.schema.createIndex("queue_jobs_lease_owner").on("queue_jobs").column("lease_owner").execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("queue_jobs_lease_owner").ifExists().execute();
    await db.schema.dropTable("cluster_counters").ifExists().execute();
    await db.schema.dropTable("cluster_nodes").ifExists().execute();
  },
};
