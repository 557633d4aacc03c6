import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/** Encrypted secrets, the context store (kv) and each account's outbound allowlist. */
export const secretsKv: Migration = {
  async up(db: Kysely<unknown>) {
    const id = bytewiseText(db);

    await db.schema
      .createTable("secrets")
      .addColumn("account", id, (col) => col.notNull().references("accounts.name"))
      .addColumn("name", id, (col) => col.notNull())
      // base64 of IV (12 bytes) + ciphertext + GCM tag (16 bytes); never the plaintext.
      .addColumn("sealed", "text", (col) => col.notNull())
      // Which master key sealed it, so a wrong key is told apart from corrupt data.
      .addColumn("key_id", "text", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("secrets_pk", ["account", "name"])
      .execute();

    await db.schema
      .createTable("kv_entries")
      .addColumn("account", id, (col) => col.notNull().references("accounts.name"))
      .addColumn("namespace", id, (col) => col.notNull())
      .addColumn("key", id, (col) => col.notNull())
      .addColumn("value", "text", (col) => col.notNull())
      .addColumn("expires_at", "bigint")
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("kv_entries_pk", ["account", "namespace", "key"])
      .execute();
    await db.schema.createIndex("kv_entries_expires").on("kv_entries").column("expires_at").execute();

    await db.schema
      .createTable("allowlists")
      .addColumn("account", id, (col) => col.primaryKey().references("accounts.name"))
      // JSON array of host patterns
      .addColumn("domains", "text", (col) => col.notNull())
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ["allowlists", "kv_entries", "secrets"]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
