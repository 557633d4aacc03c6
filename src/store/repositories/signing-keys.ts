import type { SigningKey } from "../../model/account.js";
import type { SigningKeysTable } from "../schema.js";
import type { SigningKeyRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

function toKey(row: SigningKeysTable): SigningKey {
  return {
    kid: row.kid,
    salt: row.salt,
    createdAt: Number(row.created_at),
    retiredAt: row.retired_at === null ? null : Number(row.retired_at),
  };
}

export function signingKeyRepository({ db }: RepositoryContext): SigningKeyRepository {
  return {
    async list() {
      const rows = await db.selectFrom("signing_keys").selectAll().orderBy("created_at", "desc").execute();
      return rows.map(toKey);
    },

    async rotate(key) {
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("signing_keys")
          .set({ retired_at: key.createdAt })
          .where("retired_at", "is", null)
          .execute();
        await tx
          .insertInto("signing_keys")
          .values({ kid: key.kid, salt: key.salt, created_at: key.createdAt, retired_at: null })
          .execute();
      });
    },

    async prune(retiredBefore) {
      await db.deleteFrom("signing_keys").where("retired_at", "<", retiredBefore).execute();
    },
  };
}
