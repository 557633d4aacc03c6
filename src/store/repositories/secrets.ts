import type { SecretRecord } from "../../model/account.js";
import type { SecretsTable } from "../schema.js";
import type { SecretRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

function toSecret(row: SecretsTable): SecretRecord {
  return {
    account: row.account,
    name: row.name,
    sealed: row.sealed,
    keyId: row.key_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function secretRepository({ db }: RepositoryContext): SecretRepository {
  return {
    async put(secret) {
      await db
        .insertInto("secrets")
        .values({
          account: secret.account,
          name: secret.name,
          sealed: secret.sealed,
          key_id: secret.keyId,
          created_at: secret.createdAt,
          updated_at: secret.updatedAt,
        })
        .onConflict((oc) =>
          oc.columns(["account", "name"]).doUpdateSet({
            sealed: secret.sealed,
            key_id: secret.keyId,
            updated_at: secret.updatedAt,
          }),
        )
        .execute();
    },

    async get(account, name) {
      const row = await db
        .selectFrom("secrets")
        .selectAll()
        .where("account", "=", account)
        .where("name", "=", name)
        .executeTakeFirst();
      return row && toSecret(row);
    },

    async list(account) {
      const rows = await db
        .selectFrom("secrets")
        .selectAll()
        .where("account", "=", account)
        .orderBy("name")
        .execute();
      return rows.map(toSecret);
    },

    async delete(account, name) {
      const result = await db
        .deleteFrom("secrets")
        .where("account", "=", account)
        .where("name", "=", name)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async keyIds() {
      const rows = await db.selectFrom("secrets").select("key_id").distinct().execute();
      return rows.map((r) => r.key_id);
    },
  };
}
