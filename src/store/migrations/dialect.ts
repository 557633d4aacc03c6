import { PostgresAdapter, sql } from "kysely";
import type { Expression, Kysely } from "kysely";

/**
 * The column type for names and ids, which are sorted and compared (activation ids are page cursors).
 * PostgreSQL orders text by the database locale unless told otherwise; "C" makes it byte order, as in SQLite.
 */
export function bytewiseText(db: Kysely<unknown>): Expression<unknown> {
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
}
