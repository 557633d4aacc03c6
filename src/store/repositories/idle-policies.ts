import type { IdlePolicy } from "../../model/idle.js";
import type { IdlePoliciesTable } from "../schema.js";
import type { IdlePolicyRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

function toPolicy(row: IdlePoliciesTable): IdlePolicy {
  return {
    account: row.account,
    undeployAfterDays: row.undeploy_after_days,
    ...(row.webhook_url !== null ? { webhookUrl: row.webhook_url } : {}),
    updatedAt: row.updated_at,
  };
}

export function idlePolicyRepository({ db }: RepositoryContext): IdlePolicyRepository {
  return {
    async get(account) {
      const row = await db
        .selectFrom("idle_policies")
        .selectAll()
        .where("account", "=", account)
        .executeTakeFirst();
      return row && toPolicy(row);
    },

    async list() {
      const rows = await db.selectFrom("idle_policies").selectAll().orderBy("account").execute();
      return rows.map(toPolicy);
    },

    async put(policy) {
      const values = {
        undeploy_after_days: policy.undeployAfterDays,
        webhook_url: policy.webhookUrl ?? null,
        updated_at: policy.updatedAt,
      };
      await db
        .insertInto("idle_policies")
        .values({ account: policy.account, ...values })
        .onConflict((oc) => oc.column("account").doUpdateSet(values))
        .execute();
    },

    async delete(account) {
      const deleted = await db.deleteFrom("idle_policies").where("account", "=", account).executeTakeFirst();
      return deleted.numDeletedRows > 0n;
    },
  };
}
