import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/**
 * `budgets`: monthly spending budgets per account (`function` = '') and per function. `budget_alerts`:
 * each threshold a budget crossed, once per month, amount and threshold (the unique key makes it once
 * across the cluster: the node whose insert lands sends the webhook).
 */
export const budgets: Migration = {
  async up(db: Kysely<unknown>) {
    const id = bytewiseText(db);
    await db.schema
      .createTable("budgets")
      .addColumn("account", id, (col) => col.notNull().references("accounts.name"))
      .addColumn("function", id, (col) => col.notNull())
      .addColumn("amount_micros", "bigint", (col) => col.notNull())
      // JSON array of percentages
      .addColumn("thresholds", "text", (col) => col.notNull())
      .addColumn("hard_limit", "integer", (col) => col.notNull())
      .addColumn("webhook_url", "text")
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .addPrimaryKeyConstraint("budgets_pk", ["account", "function"])
      .execute();
    await db.schema
      .createTable("budget_alerts")
      .addColumn("id", id, (col) => col.primaryKey())
      .addColumn("account", id, (col) => col.notNull().references("accounts.name"))
      .addColumn("function", id, (col) => col.notNull())
      .addColumn("period", id, (col) => col.notNull())
      .addColumn("threshold", "integer", (col) => col.notNull())
      .addColumn("amount_micros", "bigint", (col) => col.notNull())
      .addColumn("spent_micros", "bigint", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      // JSON {status, at, error?}, set once when the webhook was tried
      .addColumn("delivery", "text")
      .addUniqueConstraint("budget_alerts_once", [
        "account",
        "function",
        "period",
        "threshold",
        "amount_micros",
      ])
      .execute();
    await db.schema
      .createIndex("budget_alerts_account")
      .on("budget_alerts")
      .columns(["account", "created_at"])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("budget_alerts").ifExists().execute();
    await db.schema.dropTable("budgets").ifExists().execute();
  },
};
