import { SqliteAdapter, SqliteDialect, sql, type Kysely } from "kysely";
import type { StoreAdapter } from "../dialect.js";
import { WalSync } from "./wal-sync.js";

/** SQLite's side of the store's dialect differences. */
class SqliteStoreAdapter extends SqliteAdapter implements StoreAdapter {
  readonly bytewiseText = sql`text`;
  // One writer at a time: a claim never meets a row another transaction holds.
  readonly supportsSkipLocked = false;
  readonly #wal = new WalSync();

  /** Transactions already run one at a time on the one connection. */
  async lockKey(): Promise<void> {}

  syncCommits<DB>(db: Kysely<DB>): Promise<void> {
    return this.#wal.sync(db);
  }

  release(): Promise<void> {
    return this.#wal.close();
  }
}

export class SqliteStoreDialect extends SqliteDialect {
  override createAdapter(): SqliteStoreAdapter {
    return new SqliteStoreAdapter();
  }
}
