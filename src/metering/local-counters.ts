import { BASE_HOLDER, type SharedCounters } from "../model/counters.js";

interface Share {
  value: number;
  expiresAt: number | null;
}

/** SharedCounters in this process (embedded mode: one node, so nothing to share). */
export class LocalCounters implements SharedCounters {
  readonly #keys = new Map<string, Map<string, Share>>();

  async take(key: string, holder: string, n: number, limit: number, ttlMs?: number): Promise<number> {
    const now = Date.now();
    const shares = this.#shares(key);
    const granted = limit > 0 ? Math.max(0, Math.min(n, limit - this.#sum(shares, now))) : n;
    if (granted <= 0) return 0;
    const share = shares.get(holder);
    const live = share && (share.expiresAt === null || share.expiresAt > now) ? share.value : 0;
    shares.set(holder, { value: live + granted, expiresAt: ttlMs === undefined ? null : now + ttlMs });
    return granted;
  }

  async give(key: string, holder: string, n: number): Promise<void> {
    const share = this.#keys.get(key)?.get(holder);
    if (share) share.value = Math.max(0, share.value - n);
  }

  async total(key: string): Promise<number> {
    return this.#sum(this.#shares(key), Date.now());
  }

  async seed(key: string, value: number): Promise<void> {
    const shares = this.#shares(key);
    if (!shares.has(BASE_HOLDER)) shares.set(BASE_HOLDER, { value, expiresAt: null });
  }

  async touch(holder: string, ttlMs: number): Promise<void> {
    const until = Date.now() + ttlMs;
    for (const shares of this.#keys.values()) {
      const share = shares.get(holder);
      if (share && share.expiresAt !== null) share.expiresAt = until;
    }
  }

  async prune(): Promise<number> {
    const now = Date.now();
    let pruned = 0;
    for (const [key, shares] of this.#keys) {
      for (const [holder, share] of shares) {
        if (share.expiresAt !== null && share.expiresAt <= now) {
          shares.delete(holder);
          pruned++;
        }
      }
      if (shares.size === 0) this.#keys.delete(key);
    }
    return pruned;
  }

  #shares(key: string): Map<string, Share> {
    let shares = this.#keys.get(key);
    if (!shares) this.#keys.set(key, (shares = new Map()));
    return shares;
  }

  #sum(shares: Map<string, Share>, now: number): number {
    let sum = 0;
    for (const share of shares.values())
      if (share.expiresAt === null || share.expiresAt > now) sum += share.value;
    return sum;
  }
}
