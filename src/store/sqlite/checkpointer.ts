import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the checkpointer copies the WAL into the database. */
export const CHECKPOINT_EVERY_MS = 1000;

// The worker, as a script of its own (a file would need a build step for tsx and dist alike): its own
// connection to the database file, a PASSIVE checkpoint each period (it never waits for, nor blocks, the
// writer), until told to stop.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 0");
const checkpoint = () => {
  try {
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    return { ok: true, log: row.log, checkpointed: row.checkpointed };
  } catch (err) {
    return { ok: false, message: String((err && err.message) || err) };
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message === "checkpoint") return parentPort.postMessage(checkpoint());
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointReport {
  ok: boolean;
  /** WAL frames, and how many of them are in the database now. */
  log?: number;
  checkpointed?: number;
  message?: string;
}

/**
 * Checkpoints a SQLite database's WAL on a thread of its own. SQLite's automatic checkpoint runs inside
 * the commit that crosses 1,000 pages, on the committing thread: with better-sqlite3 that is the server's
 * main thread, which then waits for two fsyncs and the copy (the tail of warm-sync latency: p99 23.8 ms
 * with it, 13.1 ms without, bench warm-throughput on Node 24). The connection turns it off
 * (`wal_autocheckpoint = 0`) and this does the same work beside it.
 */
export class Checkpointer {
  readonly #worker: Worker;
  #waiting: ((report: CheckpointReport) => void)[] = [];
  #closed: Promise<void> | undefined;

  constructor(file: string, everyMs = CHECKPOINT_EVERY_MS) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(WORKER, { eval: true, workerData: { file, driver, everyMs } });
    this.#worker.on("message", (report: CheckpointReport) => {
      this.#worker.unref();
      for (const resolve of this.#waiting.splice(0)) resolve(report);
    });
    // A failing checkpoint leaves the WAL to grow until the next one; the database is still right.
    this.#worker.on("error", () => {});
    this.#worker.unref(); // never what keeps a process alive (after the listeners, which would ref it)
  }

  /** Runs a checkpoint now and answers what it did (tests; the period does it otherwise). */
  checkpoint(): Promise<CheckpointReport> {
    return new Promise((resolve) => {
      this.#worker.ref(); // an answer is awaited: the process waits for it
      this.#waiting.push(resolve);
      this.#worker.postMessage("checkpoint");
    });
  }

  /** Stops the thread; its connection closes before the caller closes the database. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#worker.ref();
      this.#worker.once("exit", () => resolve());
      this.#worker.postMessage("stop");
      setTimeout(() => void this.#worker.terminate(), 2000).unref();
    });
    return this.#closed;
  }
}
