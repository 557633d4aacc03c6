import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/**
 * The embedded queue (src/queue): durable async jobs with their lease, dead letters (state `dead`) and
 * idempotency keys; and on activations, how many runs an async one took and how its callback went.
 */
export const queue: Migration = {
  async up(db: Kysely<unknown>) {
    const id = bytewiseText(db);

    await db.schema
      .createTable("queue_jobs")
      .addColumn("id", id, (col) => col.primaryKey())
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("function", id, (col) => col.notNull())
      // run | callback | dead
      .addColumn("state", "text", (col) => col.notNull())
      // When the job is due: first the submission time, then a retry's time or a lease's expiry.
      .addColumn("available_at", "bigint", (col) => col.notNull())
      .addColumn("lease_owner", "text")
      .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("callback_attempts", "integer", (col) => col.notNull().defaultTo(0))
      // JSON of the JobSpec
      .addColumn("spec", "text", (col) => col.notNull())
      .addColumn("error", "text")
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addColumn("failed_at", "bigint")
      .execute();
    await db.schema
      .createIndex("queue_jobs_due")
      .on("queue_jobs")
      .columns(["state", "available_at"])
      .execute();
    await db.schema.createIndex("queue_jobs_account").on("queue_jobs").columns(["account", "id"]).execute();

    await db.schema
      .createTable("queue_idempotency")
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("function", id, (col) => col.notNull())
      .addColumn("key", id, (col) => col.notNull())
      .addColumn("activation_id", "text", (col) => col.notNull())
      .addColumn("body_digest", "text")
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("queue_idempotency_pk", ["account", "function", "key"])
      .execute();
    await db.schema
      .createIndex("queue_idempotency_created")
      .on("queue_idempotency")
      .column("created_at")
      .execute();

    await db.schema
      .alterTable("activations")
      .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(1))
      .execute();
    await db.schema.alterTable("activations").addColumn("callback", "text").execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("activations").dropColumn("callback").execute();
    await db.schema.alterTable("activations").dropColumn("attempts").execute();
    await db.schema.dropTable("queue_idempotency").ifExists().execute();
    await db.schema.dropTable("queue_jobs").ifExists().execute();
  },
};
