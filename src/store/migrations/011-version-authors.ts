import type { Kysely, Migration } from "kysely";

/**
 * Who made each version and who made each deployment (the caller's audit actor: `key:<id>`,
 * `token:<key id>`, `operator` or `system`; NULL for rows written before this migration), and an index
 * for listing the activations one activation invoked (`?parentId=`).
 */
export const versionAuthors: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("versions").addColumn("created_by", "text").execute();
    await db.schema.alterTable("deployments").addColumn("by", "text").execute();
    await db.schema
      .createIndex("activations_parent")
      .on("activations")
      .columns(["account", "parent_id"])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("activations_parent").ifExists().execute();
    await db.schema.alterTable("deployments").dropColumn("by").execute();
    await db.schema.alterTable("versions").dropColumn("created_by").execute();
  },
};
