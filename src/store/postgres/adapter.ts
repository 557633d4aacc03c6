import { PostgresAdapter, PostgresDialect, sql, type Kysely, type QueryExecutorProvider } from "kysely";
import type { StoreAdapter } from "../dialect.js";
import { SchemaIntrospector } from "./introspector.js";

/** PostgreSQL's side of the store's dialect differences. */
class PostgresStoreAdapter extends PostgresAdapter implements StoreAdapter {
  // PostgreSQL orders text by the database locale unless told otherwise; "C" is byte order, as in SQLite.
  readonly bytewiseText = sql`text collate "C"`;
  readonly supportsSkipLocked = true;

  /** A transaction-scoped advisory lock on the key's 64-bit hash. */
  async lockKey(trx: QueryExecutorProvider, key: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  }

  /** A commit is durable when it returns (synchronous_commit on). */
  async syncCommits(): Promise<void> {}

  async release(): Promise<void> {}
}

export class PostgresStoreDialect extends PostgresDialect {
  override createAdapter(): PostgresStoreAdapter {
    return new PostgresStoreAdapter();
  }

  /** The migrator's introspection, over this node's schema only (see introspector.ts). */
  override createIntrospector(db: Kysely<unknown>): SchemaIntrospector {
    return new SchemaIntrospector(db);
  }
}
