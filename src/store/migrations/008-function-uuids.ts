import { randomUUID } from "node:crypto";
import type { Kysely, Migration } from "kysely";

/**
 * A stable UUID per function (the hosted platform's lambda id: `…/lambdas/{uuid}/invoke`). Never reused:
 * a function deleted and created again under the same name gets a new one. Existing functions get theirs
 * here, so every row has one before the unique index is built.
 */
export const functionUuids: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("functions").addColumn("uuid", "text").execute();
    const rows = await (db as Kysely<FunctionKeys>)
      .selectFrom("functions")
      .select(["account", "name"])
      .execute();
    for (const row of rows) {
      await (db as Kysely<FunctionKeys>)
        .updateTable("functions")
        .set({ uuid: randomUUID() })
        .where("account", "=", row.account)
        .where("name", "=", row.name)
        .execute();
    }
    await db.schema.createIndex("functions_uuid").on("functions").column("uuid").unique().execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("functions_uuid").ifExists().execute();
    await db.schema.alterTable("functions").dropColumn("uuid").execute();
  },
};

interface FunctionKeys {
  functions: { account: string; name: string; uuid: string | null };
}
