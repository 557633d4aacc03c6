import type { Budget, BudgetAlert } from "../../model/budget.js";
import type { BudgetAlertsTable, BudgetsTable } from "../schema.js";
import type { BudgetRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

function toBudget(row: BudgetsTable): Budget {
  return {
    account: row.account,
    ...(row.function !== "" ? { function: row.function } : {}),
    amountMicros: Number(row.amount_micros),
    thresholds: JSON.parse(row.thresholds) as number[],
    hardLimit: row.hard_limit === 1,
    ...(row.webhook_url !== null ? { webhookUrl: row.webhook_url } : {}),
    updatedAt: Number(row.updated_at),
  };
}

function toAlert(row: BudgetAlertsTable): BudgetAlert {
  return {
    id: row.id,
    account: row.account,
    ...(row.function !== "" ? { function: row.function } : {}),
    period: row.period,
    threshold: row.threshold,
    amountMicros: Number(row.amount_micros),
    spentMicros: Number(row.spent_micros),
    createdAt: Number(row.created_at),
    ...(row.delivery !== null ? { delivery: JSON.parse(row.delivery) as BudgetAlert["delivery"] } : {}),
  };
}

export function budgetRepository({ db }: RepositoryContext): BudgetRepository {
  return {
    async list(account) {
      const rows = await db
        .selectFrom("budgets")
        .selectAll()
        .where("account", "=", account)
        .orderBy("function")
        .execute();
      return rows.map(toBudget);
    },

    async set(budget) {
      const values = {
        amount_micros: budget.amountMicros,
        thresholds: JSON.stringify(budget.thresholds),
        hard_limit: budget.hardLimit ? 1 : 0,
        webhook_url: budget.webhookUrl ?? null,
        updated_at: budget.updatedAt,
      };
      await db
        .insertInto("budgets")
        .values({ account: budget.account, function: budget.function ?? "", ...values })
        .onConflict((oc) => oc.columns(["account", "function"]).doUpdateSet(values))
        .execute();
    },

    async delete(account, fn) {
      const result = await db
        .deleteFrom("budgets")
        .where("account", "=", account)
        .where("function", "=", fn ?? "")
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async addAlert(alert) {
      const result = await db
        .insertInto("budget_alerts")
        .values({
          id: alert.id,
          account: alert.account,
          function: alert.function ?? "",
          period: alert.period,
          threshold: alert.threshold,
          amount_micros: alert.amountMicros,
          spent_micros: alert.spentMicros,
          created_at: alert.createdAt,
          delivery: null,
        })
        .onConflict((oc) =>
          oc.columns(["account", "function", "period", "threshold", "amount_micros"]).doNothing(),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async setDelivery(id, delivery) {
      await db
        .updateTable("budget_alerts")
        .set({ delivery: JSON.stringify(delivery) })
        .where("id", "=", id)
        .where("delivery", "is", null)
        .execute();
    },

    async alerts({ account, function: fn, limit }) {
      let query = db.selectFrom("budget_alerts").selectAll().where("account", "=", account);
      if (fn !== undefined) query = query.where("function", "=", fn);
      const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
      return rows.map(toAlert);
    },
  };
}
