import { sql } from "kysely";
import type { QuotaOverrides } from "../../model/account.js";
import type { QuotaRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

export function quotaRepository({ db }: RepositoryContext): QuotaRepository {
  return {
    async getOverrides(account) {
      const row = await db
        .selectFrom("account_quotas")
        .select("quotas")
        .where("account", "=", account)
        .executeTakeFirst();
      return row ? (JSON.parse(row.quotas) as QuotaOverrides) : {};
    },

    async setOverrides(account, quotas, at) {
      const json = JSON.stringify(quotas);
      await db
        .insertInto("account_quotas")
        .values({ account, quotas: json, updated_at: at })
        .onConflict((oc) => oc.column("account").doUpdateSet({ quotas: json, updated_at: at }))
        .execute();
    },

    async add(account, period, delta) {
      await db
        .insertInto("quota_counters")
        .values({ account, period, invocations: delta.invocations, log_bytes: delta.logBytes })
        .onConflict((oc) =>
          oc.columns(["account", "period"]).doUpdateSet({
            invocations: sql`quota_counters.invocations + ${delta.invocations}`,
            log_bytes: sql`quota_counters.log_bytes + ${delta.logBytes}`,
          }),
        )
        .execute();
    },

    async usage(account, period) {
      const row = await db
        .selectFrom("quota_counters")
        .select(["invocations", "log_bytes"])
        .where("account", "=", account)
        .where("period", "=", period)
        .executeTakeFirst();
      return { invocations: Number(row?.invocations ?? 0), logBytes: Number(row?.log_bytes ?? 0) };
    },
  };
}
