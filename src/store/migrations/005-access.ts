import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/** Access: the audit log, access-token signing keys, per-account quota overrides and usage counters. */
export const access: Migration = {
  async up(db: Kysely<unknown>) {
    const id = bytewiseText(db);

    await db.schema
      .createTable("audit_log")
      .addColumn("id", id, (col) => col.primaryKey())
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("at", "bigint", (col) => col.notNull())
      .addColumn("actor", "text", (col) => col.notNull())
      .addColumn("action", "text", (col) => col.notNull())
      .addColumn("target", "text", (col) => col.notNull())
      .addColumn("detail", "text")
      .execute();
    await db.schema.createIndex("audit_log_account").on("audit_log").columns(["account", "id"]).execute();

    await db.schema
      .createTable("signing_keys")
      .addColumn("kid", id, (col) => col.primaryKey())
      .addColumn("salt", "text", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addColumn("retired_at", "bigint")
      .execute();

    await db.schema
      .createTable("account_quotas")
      .addColumn("account", id, (col) => col.primaryKey().references("accounts.name"))
      .addColumn("quotas", "text", (col) => col.notNull())
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .execute();

    await db.schema
      .createTable("quota_counters")
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("period", id, (col) => col.notNull())
      .addColumn("invocations", "bigint", (col) => col.notNull().defaultTo(0))
      .addColumn("log_bytes", "bigint", (col) => col.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("quota_counters_pk", ["account", "period"])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ["quota_counters", "account_quotas", "signing_keys", "audit_log"]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
