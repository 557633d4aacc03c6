import type { Kysely, Migration } from "kysely";
import { bytewiseText } from "./dialect.js";

/**
 * Canaries and idle functions. `functions` gains the canary beside the deployed version (its version,
 * share in basis points, start and auto-rollback policy as JSON): the row every node's catalog already
 * reads and re-reads on a `function` change, so a canary reaches the cluster as a deploy does.
 * `deployments` records the canary of each change and why the platform made one by itself.
 * `idle_policies`: per account, undeploy functions idle for so many days (with a webhook first).
 * An index for traces: activations by parent.
 */
export const canaryIdle: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("functions").addColumn("canary_version", "integer").execute();
    await db.schema.alterTable("functions").addColumn("canary_weight", "integer").execute();
    await db.schema.alterTable("functions").addColumn("canary_since", "bigint").execute();
    await db.schema.alterTable("functions").addColumn("canary_rollback", "text").execute();
    await db.schema.alterTable("deployments").addColumn("canary_version", "integer").execute();
    await db.schema.alterTable("deployments").addColumn("canary_weight", "integer").execute();
    await db.schema.alterTable("deployments").addColumn("reason", "text").execute();
    await db.schema
      .createTable("idle_policies")
      .addColumn("account", bytewiseText(db), (col) => col.primaryKey())
      .addColumn("undeploy_after_days", "integer", (col) => col.notNull())
      .addColumn("webhook_url", "text")
      .addColumn("updated_at", "bigint", (col) => col.notNull())
      .execute();
    // The indexes the trace tree and the idle listing read by are 011's (account, parent_id) and 017's
    // (account, function, started_at).
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("idle_policies").ifExists().execute();
    for (const column of ["reason", "canary_weight", "canary_version"])
      await db.schema.alterTable("deployments").dropColumn(column).execute();
    for (const column of ["canary_rollback", "canary_since", "canary_weight", "canary_version"])
      await db.schema.alterTable("functions").dropColumn(column).execute();
  },
};
