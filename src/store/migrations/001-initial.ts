import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/** Accounts, keys, functions with their versions and deployments, and the activation history. */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    // Names and ids: compared, sorted and used as cursors, so they must order the same on both dialects.
    const id = bytewiseText(db);

    await db.schema
      .createTable("accounts")
      .addColumn("name", id, (col) => col.primaryKey())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .execute();

    await db.schema
      .createTable("api_keys")
      .addColumn("id", id, (col) => col.primaryKey())
      .addColumn("account", id, (col) => col.notNull().references("accounts.name"))
      .addColumn("name", "text", (col) => col.notNull())
      .addColumn("role", "text", (col) => col.notNull())
      .addColumn("hash", "text", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addColumn("last_used_at", "bigint")
      .addColumn("revoked_at", "bigint")
      .execute();
    await db.schema.createIndex("api_keys_hash").on("api_keys").column("hash").unique().execute();
    await db.schema
      .createIndex("api_keys_account")
      .on("api_keys")
      .columns(["account", "created_at"])
      .execute();

    await db.schema
      .createTable("functions")
      .addColumn("account", id, (col) => col.notNull().references("accounts.name"))
      .addColumn("name", id, (col) => col.notNull())
      .addColumn("latest_version", "integer", (col) => col.notNull())
      .addColumn("deployed_version", "integer")
      .addColumn("ever_deployed", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("functions_pk", ["account", "name"])
      .execute();

    await db.schema
      .createTable("versions")
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("function", id, (col) => col.notNull())
      .addColumn("version", "integer", (col) => col.notNull())
      .addColumn("source", "text", (col) => col.notNull())
      .addColumn("code", "text", (col) => col.notNull())
      .addColumn("style", "text", (col) => col.notNull())
      .addColumn("config", "text", (col) => col.notNull())
      .addColumn("digest", "text", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("versions_pk", ["account", "function", "version"])
      .addForeignKeyConstraint(
        "versions_function_fk",
        ["account", "function"],
        "functions",
        ["account", "name"],
        (fk) => fk.onDelete("cascade"),
      )
      .execute();

    await db.schema
      .createTable("deployments")
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("function", id, (col) => col.notNull())
      .addColumn("seq", "integer", (col) => col.notNull())
      .addColumn("version", "integer")
      .addColumn("at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("deployments_pk", ["account", "function", "seq"])
      .addForeignKeyConstraint(
        "deployments_function_fk",
        ["account", "function"],
        "functions",
        ["account", "name"],
        (fk) => fk.onDelete("cascade"),
      )
      .execute();

    // No foreign keys: activations are history and outlive the function that ran them.
    await db.schema
      .createTable("activations")
      .addColumn("account", id, (col) => col.notNull())
      .addColumn("id", id, (col) => col.notNull())
      .addColumn("function", id, (col) => col.notNull())
      .addColumn("version", "integer", (col) => col.notNull())
      .addColumn("trigger", "text", (col) => col.notNull())
      .addColumn("status", "text", (col) => col.notNull())
      .addColumn("result", "text")
      .addColumn("error", "text")
      .addColumn("logs", "text", (col) => col.notNull())
      .addColumn("logs_truncated", "integer", (col) => col.notNull())
      .addColumn("started_at", "bigint", (col) => col.notNull())
      // Durations may be fractional (measured with performance.now()).
      .addColumn("duration_ms", "double precision", (col) => col.notNull())
      .addColumn("billed_ms", "double precision", (col) => col.notNull())
      .addColumn("memory_mb", "integer", (col) => col.notNull())
      .addColumn("cold_start", "integer", (col) => col.notNull())
      .addPrimaryKeyConstraint("activations_pk", ["account", "id"])
      .execute();
    await db.schema
      .createIndex("activations_function")
      .on("activations")
      .columns(["account", "function", "id"])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ["activations", "deployments", "versions", "functions", "api_keys", "accounts"]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
