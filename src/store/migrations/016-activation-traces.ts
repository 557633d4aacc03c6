import { sql, type Kysely, type Migration } from "kysely";

/**
 * Traces (`GET …/traces/{traceId}`): every activation's trace id, indexed by account, so one trace's
 * activations are found without a scan; the span of the activation that called it (its parent span, for
 * OTLP export) and how long a queued activation waited before it ran. Records written before this have
 * their trace id filled from their traceparent; a root without one (it had no trace context) gets none.
 */
export const activationTraces: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("activations").addColumn("trace_id", "text").execute();
    await db.schema.alterTable("activations").addColumn("parent_span_id", "text").execute();
    await db.schema.alterTable("activations").addColumn("queued_ms", "integer").execute();
    await sql`update activations set trace_id = substr(traceparent, 4, 32) where traceparent is not null`.execute(
      db,
    );
    await db.schema
      .createIndex("activations_account_trace")
      .on("activations")
      .columns(["account", "trace_id"])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("activations_account_trace").ifExists().execute();
    for (const column of ["queued_ms", "parent_span_id", "trace_id"]) {
      await db.schema.alterTable("activations").dropColumn(column).execute();
    }
  },
};
