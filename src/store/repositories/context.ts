import type { Kysely } from "kysely";
import { StoreConflictError } from "../store.js";
import type { Database } from "../schema.js";

/** What every repository needs: the database and the dialect's reading of a unique-key violation. */
export interface RepositoryContext {
  db: Kysely<Database>;
  isUniqueViolation(err: unknown): boolean;
}

/** Runs `write`, turning a unique-key violation into StoreConflictError so callers can answer 409. */
export async function orConflict<T>(
  ctx: RepositoryContext,
  what: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (ctx.isUniqueViolation(err)) throw new StoreConflictError(`${what} already exists`, { cause: err });
    throw err;
  }
}
