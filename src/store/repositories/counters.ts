import { sql } from "kysely";
import { BASE_HOLDER, type SharedCounters } from "../../model/counters.js";
import { adapterOf } from "../dialect.js";
import type { RepositoryContext } from "./context.js";

/**
 * SharedCounters in the database (cluster_counters): a take locks its key for the transaction (an
 * advisory lock on PostgreSQL), sums the live shares and adds what fits, so nodes never together pass a
 * limit. One short transaction per take: quotas take in blocks (src/metering/allowance.ts).
 */
export function counterRepository({ db }: RepositoryContext): SharedCounters {
  const adapter = adapterOf(db);
  const live = (now: number) => sql<boolean>`(expires_at is null or expires_at > ${now})`;
  return {
    take: (key, holder, n, limit, ttlMs) =>
      db.transaction().execute(async (trx) => {
        await adapter.lockKey(trx, `runlet-counter:${key}`);
        const now = Date.now();
        let granted = n;
        if (limit > 0) {
          const row = await trx
            .selectFrom("cluster_counters")
            .select(sql<string | number | null>`sum(value)`.as("total"))
            .where("key", "=", key)
            .where(live(now))
            .executeTakeFirst();
          granted = Math.max(0, Math.min(n, limit - Number(row?.total ?? 0)));
        }
        if (granted <= 0) return 0;
        const expiresAt = ttlMs === undefined ? null : now + ttlMs;
        await trx
          .insertInto("cluster_counters")
          .values({ key, holder, value: granted, expires_at: expiresAt })
          .onConflict((oc) =>
            oc.columns(["key", "holder"]).doUpdateSet({
              // An expired share counted for nothing: it starts again from what is taken now.
              value: sql`case when cluster_counters.expires_at is not null and cluster_counters.expires_at <= ${now} then ${granted} else cluster_counters.value + ${granted} end`,
              expires_at: expiresAt,
            }),
          )
          .execute();
        return granted;
      }),

    async give(key, holder, n) {
      await db
        .updateTable("cluster_counters")
        .set({ value: sql`case when value > ${n} then value - ${n} else 0 end` })
        .where("key", "=", key)
        .where("holder", "=", holder)
        .execute();
    },

    async total(key) {
      const row = await db
        .selectFrom("cluster_counters")
        .select(sql<string | number | null>`sum(value)`.as("total"))
        .where("key", "=", key)
        .where(live(Date.now()))
        .executeTakeFirst();
      return Number(row?.total ?? 0);
    },

    async seed(key, value) {
      await db
        .insertInto("cluster_counters")
        .values({ key, holder: BASE_HOLDER, value, expires_at: null })
        .onConflict((oc) => oc.columns(["key", "holder"]).doNothing())
        .execute();
    },

    async touch(holder, ttlMs) {
      await db
        .updateTable("cluster_counters")
        .set({ expires_at: Date.now() + ttlMs })
        .where("holder", "=", holder)
        .where("expires_at", "is not", null)
        .execute();
    },

    async prune() {
      const result = await db
        .deleteFrom("cluster_counters")
        .where("expires_at", "<=", Date.now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
