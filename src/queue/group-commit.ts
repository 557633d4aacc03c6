/**
 * Group commit: everything added in the same event-loop turn goes into one commit, so N submissions
 * arriving at once cost one transaction, not N. Up to `maxInFlight` commits overlap: while one waits for
 * its fsync, the next batch is already being written (the fsyncs coalesce in the queue, see syncWal).
 */
export class GroupCommit<T, R> {
  #pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  #scheduled = false;
  #inFlight = 0;

  constructor(
    private readonly commit: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 2000,
    private readonly maxInFlight = 4,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#pending.length === 0 || this.#inFlight >= this.maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => this.#start());
  }

  #start(): void {
    this.#scheduled = false;
    if (this.#inFlight >= this.maxInFlight) return;
    const batch = this.#pending.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.#inFlight++;
    this.commit(batch.map((p) => p.item))
      .then(
        (results) => batch.forEach((p, i) => p.resolve(results[i]!)),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
    this.#schedule();
  }
}
