import type { Recording } from "../model/recording.js";
import type { Store } from "../store/store.js";

/**
 * Where recorded activations are kept (the store's `recordings`, on SQLite and PostgreSQL) and pruned
 * once their function's `record.days` pass. A write that fails is reported, never retried: a recording is
 * a sample, and the activation's own record does not depend on it.
 */
export class Recordings {
  #pruner: NodeJS.Timeout | undefined;
  #writing = new Set<Promise<void>>();

  constructor(
    private readonly store: Pick<Store, "recordings">,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Writes the recording in the background (the invocation does not wait for it). */
  keep(recording: Recording): void {
    const write: Promise<void> = this.store.recordings
      .put(recording)
      .catch(this.onError)
      .finally(() => this.#writing.delete(write));
    this.#writing.add(write);
  }

  /** Waits for the recordings being written (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.#writing]);
  }

  get(account: string, id: string): Promise<Recording | undefined> {
    return this.store.recordings.get(account, id, Date.now());
  }

  latest(account: string, fn: string, limit: number): Promise<Recording[]> {
    return this.store.recordings.latest(account, fn, limit, Date.now());
  }

  /** Deletes expired recordings every `intervalMs` until close(). */
  startPruning(intervalMs = 60_000): void {
    this.#pruner ??= setInterval(
      () => void this.store.recordings.prune(Date.now()).catch(this.onError),
      intervalMs,
    );
    this.#pruner.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#pruner);
    this.#pruner = undefined;
    await this.flush();
  }
}
