import type { Kysely, Migration } from "kysely";

/**
 * Links between activations: the activation that asked for this one (`ctx.invoke`, a sequence step),
 * the W3C trace context it ran under, and for a sequence the steps it ran (JSON).
 */
export const activationLinks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("activations").addColumn("parent_id", "text").execute();
    await db.schema.alterTable("activations").addColumn("traceparent", "text").execute();
    await db.schema.alterTable("activations").addColumn("steps", "text").execute();
  },

  async down(db: Kysely<unknown>) {
    for (const column of ["steps", "traceparent", "parent_id"]) {
      await db.schema.alterTable("activations").dropColumn(column).execute();
    }
  },
};
