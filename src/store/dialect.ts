import type { DialectAdapter, Expression, Kysely, QueryExecutorProvider } from "kysely";

/**
 * What each dialect folder (./sqlite, ./postgres) adds to kysely's DialectAdapter: the differences between
 * the databases, as capabilities, so shared code never asks which database it runs on.
 */
export interface StoreAdapter extends DialectAdapter {
  /**
   * The column type for names and ids, which are sorted and compared (activation ids are page cursors):
   * byte order on every database.
   */
  readonly bytewiseText: Expression<unknown>;
  /** Claims can skip rows another transaction holds (FOR UPDATE SKIP LOCKED), so nodes claim side by side. */
  readonly supportsSkipLocked: boolean;
  /**
   * Inside a transaction: waits until no other transaction holds `key`, and holds it until this one ends
   * (a read-then-write on a shared counter must not interleave with another node's).
   */
  lockKey(trx: QueryExecutorProvider, key: string): Promise<void>;
  /** Resolves once every commit made so far survives power loss. */
  syncCommits<DB>(db: Kysely<DB>): Promise<void>;
  /** Releases what the adapter holds open (a file handle); called before the database closes. */
  release(): Promise<void>;
}

/** The store adapter of a database opened by ./sqlite or ./postgres. */
export function adapterOf<DB>(db: Kysely<DB>): StoreAdapter {
  return db.getExecutor().adapter as StoreAdapter;
}
