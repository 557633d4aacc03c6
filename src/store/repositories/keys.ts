import type { ApiKey, Role } from "../../model/account.js";
import type { KeyRepository } from "../store.js";
import type { ApiKeysTable } from "../schema.js";
import { orConflict } from "./context.js";
import type { RepositoryContext } from "./context.js";

function toKey(row: ApiKeysTable): ApiKey {
  return {
    id: row.id,
    account: row.account,
    name: row.name,
    role: row.role as Role,
    hash: row.hash,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function toRow(key: ApiKey) {
  return {
    id: key.id,
    account: key.account,
    name: key.name,
    role: key.role,
    hash: key.hash,
    created_at: key.createdAt,
    last_used_at: key.lastUsedAt,
    revoked_at: key.revokedAt,
  };
}

export function keyRepository(ctx: RepositoryContext): KeyRepository {
  const { db } = ctx;
  return {
    async create(key) {
      await orConflict(ctx, `key ${key.id}`, () => db.insertInto("api_keys").values(toRow(key)).execute());
    },

    async createIfMissing(key) {
      const result = await db
        .insertInto("api_keys")
        .values(toRow(key))
        .onConflict((oc) => oc.column("hash").doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async findByHash(hash) {
      const row = await db.selectFrom("api_keys").selectAll().where("hash", "=", hash).executeTakeFirst();
      return row && toKey(row);
    },

    async get(id) {
      const row = await db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toKey(row);
    },

    async list(account) {
      const rows = await db
        .selectFrom("api_keys")
        .selectAll()
        .where("account", "=", account)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toKey);
    },

    async revoke(account, id, at) {
      const result = await db
        .updateTable("api_keys")
        .set({ revoked_at: at })
        .where("account", "=", account)
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async touch(id, at) {
      await db.updateTable("api_keys").set({ last_used_at: at }).where("id", "=", id).execute();
    },
  };
}
