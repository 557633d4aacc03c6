import type { Kysely, Migration } from "kysely";

/** Each version keeps esbuild's source map of its code, so stack frames name the author's files. */
export const versionSourceMaps: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("versions").addColumn("source_map", "text").execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("versions").dropColumn("source_map").execute();
  },
};
