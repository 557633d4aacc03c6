import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/**
 * One row per schedule tick that fired. The primary key is the cluster-wide lock: every node that sees a
 * tick inserts its row, and only the insert that lands submits the activation. The newest row of a
 * schedule is also its memory of the last fired tick (catch-up after downtime runs a missed tick once).
 */
export const scheduleLocks: Migration = {
  async up(db: Kysely<unknown>) {
    const id = bytewiseText(db);
    await db.schema
      .createTable("schedule_firings")
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("function", id, (col) => col.notNull())
      .addColumn("schedule", id, (col) => col.notNull())
      .addColumn("tick", "bigint", (col) => col.notNull())
      .addColumn("node", "text", (col) => col.notNull())
      .addColumn("fired_at", "bigint", (col) => col.notNull())
      .addColumn("activation_id", "text")
      .addPrimaryKeyConstraint("schedule_firings_pk", ["account", "function", "schedule", "tick"])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("schedule_firings").ifExists().execute();
  },
};
