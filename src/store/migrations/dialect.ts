import type { Expression, Kysely } from "kysely";
import { adapterOf } from "../dialect.js";

/** The column type for names and ids, compared and sorted byte by byte (see StoreAdapter.bytewiseText). */
export function bytewiseText(db: Kysely<unknown>): Expression<unknown> {
  return adapterOf(db).bytewiseText;
}
