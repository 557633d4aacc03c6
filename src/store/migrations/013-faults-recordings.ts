import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/**
 * `fault_profiles`: an account's named fault rules (PUT …/faults/{profile}). `activations.faults`: which
 * rules fired in an activation that carried a profile. `recordings`: what a recorded activation was given
 * and what every host call answered it, for replays (pruned once `expires_at` passes).
 */
export const faultsRecordings: Migration = {
  async up(db: Kysely<unknown>) {
    const id = bytewiseText(db);
    await db.schema
      .createTable("fault_profiles")
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("name", id, (col) => col.notNull())
      .addColumn("rules", "text", (col) => col.notNull())
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("fault_profiles_pk", ["account", "name"])
      .execute();
    await db.schema.alterTable("activations").addColumn("faults", "text").execute();
    await db.schema
      .createTable("recordings")
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("id", id, (col) => col.notNull())
      .addColumn("function", id, (col) => col.notNull())
      .addColumn("version", "integer", (col) => col.notNull())
      .addColumn("started_at", "bigint", (col) => col.notNull())
      .addColumn("expires_at", "bigint", (col) => col.notNull())
      .addColumn("body", "text", (col) => col.notNull())
      .addPrimaryKeyConstraint("recordings_pk", ["account", "id"])
      .execute();
    await db.schema
      .createIndex("recordings_function")
      .on("recordings")
      .columns(["account", "function", "id"])
      .execute();
    await db.schema.createIndex("recordings_expires").on("recordings").column("expires_at").execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("recordings").ifExists().execute();
    await db.schema.alterTable("activations").dropColumn("faults").execute();
    await db.schema.dropTable("fault_profiles").ifExists().execute();
  },
};
