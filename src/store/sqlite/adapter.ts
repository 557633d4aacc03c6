import { SqliteAdapter, SqliteDialect, sql, type Kysely, type SqliteDialectConfig } from "kysely";
import type { Checkpointer } from "./checkpointer.js";
import type { StoreAdapter } from "../dialect.js";
import { WalSync } from "./wal-sync.js";

/** SQLite's side of the store's dialect differences. */
class SqliteStoreAdapter extends SqliteAdapter implements StoreAdapter {
  readonly bytewiseText = sql`text`;
  // One writer at a time: a claim never meets a row another transaction holds.
  readonly supportsSkipLocked = false;
  readonly #wal = new WalSync();

  constructor(readonly checkpointer: Checkpointer | undefined) {
    super();
  }

  /** Transactions already run one at a time on the one connection. */
  async lockKey(): Promise<void> {}

  syncCommits<DB>(db: Kysely<DB>): Promise<void> {
    return this.#wal.sync(db);
  }

  async release(): Promise<void> {
    await this.checkpointer?.close();
    await this.#wal.close();
  }
}

export class SqliteStoreDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly checkpointer?: Checkpointer,
  ) {
    super(config);
  }

  override createAdapter(): SqliteStoreAdapter {
    return new SqliteStoreAdapter(this.checkpointer);
  }
}
