import { PostgresAdapter, PostgresDialect, sql } from "kysely";
import type { StoreAdapter } from "../dialect.js";

/** PostgreSQL's side of the store's dialect differences. */
class PostgresStoreAdapter extends PostgresAdapter implements StoreAdapter {
  // PostgreSQL orders text by the database locale unless told otherwise; "C" is byte order, as in SQLite.
  readonly bytewiseText = sql`text collate "C"`;
  readonly supportsSkipLocked = true;

  /** A commit is durable when it returns (synchronous_commit on). */
  async syncCommits(): Promise<void> {}

  async release(): Promise<void> {}
}

export class PostgresStoreDialect extends PostgresDialect {
  override createAdapter(): PostgresStoreAdapter {
    return new PostgresStoreAdapter();
  }
}
