import { sql } from "kysely";
import type { KvEntry } from "../../model/account.js";
import type { KvEntriesTable } from "../schema.js";
import type { KvRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

function toEntry(row: KvEntriesTable): KvEntry {
  return {
    account: row.account,
    namespace: row.namespace,
    key: row.key,
    value: row.value,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
  };
}

export function kvRepository({ db }: RepositoryContext): KvRepository {
  const live = (now: number) => sql<boolean>`(expires_at is null or expires_at > ${now})`;
  return {
    async get(account, namespace, key, now) {
      const row = await db
        .selectFrom("kv_entries")
        .selectAll()
        .where("account", "=", account)
        .where("namespace", "=", namespace)
        .where("key", "=", key)
        .where(live(now))
        .executeTakeFirst();
      return row && toEntry(row);
    },

    async set(entry) {
      const values = { value: entry.value, expires_at: entry.expiresAt, updated_at: entry.updatedAt };
      await db
        .insertInto("kv_entries")
        .values({ account: entry.account, namespace: entry.namespace, key: entry.key, ...values })
        .onConflict((oc) => oc.columns(["account", "namespace", "key"]).doUpdateSet(values))
        .execute();
    },

    async delete(account, namespace, key, now) {
      const result = await db
        .deleteFrom("kv_entries")
        .where("account", "=", account)
        .where("namespace", "=", namespace)
        .where("key", "=", key)
        .where(live(now))
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async list(filter) {
      let query = db
        .selectFrom("kv_entries")
        .selectAll()
        .where("account", "=", filter.account)
        .where("namespace", "=", filter.namespace)
        .where(live(filter.now));
      if (filter.prefix) {
        // A range plus an exact prefix test: LIKE would treat % and _ as wildcards and, on SQLite, ignore case.
        const length = [...filter.prefix].length;
        query = query
          .where("key", ">=", filter.prefix)
          .where(sql<string>`substr(key, 1, ${length})`, "=", filter.prefix);
      }
      if (filter.after !== undefined) query = query.where("key", ">", filter.after);
      const rows = await query.orderBy("key").limit(filter.limit).execute();
      return rows.map(toEntry);
    },

    async count(account, now) {
      const row = await db
        .selectFrom("kv_entries")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("account", "=", account)
        .where(live(now))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async purgeExpired(now) {
      const result = await db.deleteFrom("kv_entries").where("expires_at", "<=", now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
