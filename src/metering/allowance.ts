import type { SharedCounters } from "../model/counters.js";

/** A block of a shared counter: a hundredth of the limit, so the nodes' spare blocks stay far within 10 %. */
export function blockOf(limit: number): number {
  return Math.max(1, Math.floor(limit / 100));
}

/**
 * One node's allowance from a shared counter: taken from it in blocks and spent here, so only one use in a
 * block costs a round trip. What the node took and has not spent is its spare: the counter counts it as
 * used until `release` gives it back, so the nodes together never pass the limit and fall short of it
 * by at most their spare blocks.
 */
export class Allowance {
  #spare = 0;
  /** The limit the spare was taken under: a changed limit (a lowered quota) spends none of it. */
  #limit = 0;
  #taking: Promise<number> | undefined;

  constructor(
    private readonly counters: SharedCounters,
    readonly key: string,
    private readonly holder: string,
    private readonly ttlMs?: number,
  ) {}

  /** Spends one unit of the spare, without a round trip; false when there is none (under this limit). */
  trySpend(limit: number): boolean {
    if (this.#spare <= 0 || limit !== this.#limit) return false;
    this.#spare--;
    return true;
  }

  /** Spends one unit, taking a block from the counter first if the spare is empty; false if none is left. */
  async spend(limit: number): Promise<boolean> {
    if (limit !== this.#limit) {
      await this.#taking;
      await this.release();
      this.#limit = limit;
    }
    while (!this.trySpend(limit)) {
      const taking = (this.#taking ??= this.counters
        .take(this.key, this.holder, blockOf(limit), limit, this.ttlMs)
        .then((n) => {
          this.#spare += n;
          return n;
        })
        .finally(() => {
          this.#taking = undefined;
        }));
      if ((await taking) === 0 && this.#spare <= 0) return false;
      if (limit !== this.#limit) return this.spend(limit);
    }
    return true;
  }

  /** Puts one unit back in the spare (a slot no longer in use; a use that did not count). */
  unspend(): void {
    this.#spare++;
  }

  /** Gives the spare back to the counter, so other nodes can have it. */
  async release(): Promise<void> {
    const n = this.#spare;
    if (n <= 0) return;
    this.#spare = 0;
    try {
      await this.counters.give(this.key, this.holder, n);
    } catch (err) {
      this.#spare += n;
      throw err;
    }
  }
}
