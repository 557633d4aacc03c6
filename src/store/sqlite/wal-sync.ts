import { open, type FileHandle } from "node:fs/promises";
import { sql, type Kysely } from "kysely";

/**
 * SQLite runs at synchronous=NORMAL: a commit is in the WAL file but not yet on disk. Rather than
 * synchronous=FULL, which fsyncs inside the commit and so blocks the event loop, the WAL is fsynced on the
 * thread pool after the commit: the same guarantee, while the gateway keeps serving (and the next group of
 * submissions gathers). A checkpoint fsyncs the WAL before copying it, so nothing is missed.
 */
export class WalSync {
  #walFile: Promise<string | undefined> | undefined;
  #handle: Promise<FileHandle> | undefined;
  #syncing: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  /**
   * Resolves once every commit so far is on disk. Callers share fsyncs: one that asks while an fsync runs
   * (which may have started before its commit) waits for the next one, which starts when the running one
   * ends and covers everyone who asked meanwhile.
   */
  sync<DB>(db: Kysely<DB>): Promise<void> {
    if (!this.#syncing) {
      this.#syncing = this.#fsync(db).finally(() => {
        this.#syncing = undefined;
      });
      return this.#syncing;
    }
    this.#next ??= this.#syncing
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined;
        return this.sync(db);
      });
    return this.#next;
  }

  /** Closes the WAL file (before the database closes). */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await (await handle)?.close().catch(() => {});
  }

  async #fsync<DB>(db: Kysely<DB>): Promise<void> {
    this.#walFile ??= sql<{ name: string; file: string }>`pragma database_list`.execute(db).then((r) => {
      const file = r.rows.find((row) => row.name === "main")?.file;
      return file ? `${file}-wal` : undefined;
    });
    const wal = await this.#walFile;
    if (wal === undefined) return; // an in-memory database: nothing to make durable
    // The WAL file lives as long as the connection: opened once (opening and closing it per commit was
    // ~3% of the server's CPU under async load).
    this.#handle ??= open(wal, "r+");
    try {
      await (await this.#handle).datasync();
    } catch (err) {
      this.#handle = undefined; // reopened on the next commit
      throw err;
    }
  }
}
