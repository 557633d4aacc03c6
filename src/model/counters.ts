/**
 * The shared-counter seam quotas and rate limits count in (src/metering/allowance.ts). A counter is a
 * key; each holder (a node) has a share of it, and its total is the sum of the live shares. A share taken
 * with a time to live counts only while its holder renews it (`touch`), so what a dead node held — slots
 * of a concurrency cap — comes back by itself. Embedded mode counts in process (src/metering/
 * local-counters.ts); a cluster counts in PostgreSQL (src/store/repositories/counters.ts).
 * test/metering/counters.contract.ts is the behaviour every implementation has.
 */
export interface SharedCounters {
  /**
   * Adds up to `n` to `holder`'s share of `key`, no more than keeps the total within `limit` (0: no
   * limit), atomically across holders; resolves with how many it added (0 … n). With `ttlMs` the share
   * expires that long after it was last taken or touched.
   */
  take(key: string, holder: string, n: number, limit: number, ttlMs?: number): Promise<number>;
  /** Takes up to `n` back out of `holder`'s share (never below 0). */
  give(key: string, holder: string, n: number): Promise<void>;
  /** The total over live shares. */
  total(key: string): Promise<number>;
  /** Sets the counter's base (a holder of its own, never expiring) unless it has one: a starting count. */
  seed(key: string, value: number): Promise<void>;
  /** Keeps every expiring share of `holder` alive for `ttlMs` more. */
  touch(holder: string, ttlMs: number): Promise<void>;
  /** Forgets expired shares; resolves with how many. */
  prune(): Promise<number>;
}

/** The holder name `seed` uses. */
export const BASE_HOLDER = "~base";
