import { RunletError } from "../errors.js";
import { Allowance } from "../metering/allowance.js";
import type { SharedCounters } from "../model/counters.js";
import type { RateLimit } from "./rate-limit.js";

/**
 * Per-key rate limiting a cluster shares: each key may send `burst` requests per window of
 * burst / perSecond seconds (at least 1 s), counted in the shared counters, so N nodes together allow the
 * rate once, not N times. Nodes take the window's requests in blocks (Allowance): no round trip per
 * request. A fixed window, where the embedded limiter (RateLimiter) is a token bucket: on average the same
 * rate; at a window's edge up to two bursts may pass close together.
 */
export class SharedRateLimiter {
  readonly #windowMs: number;
  readonly #keys = new Map<string, { window: number; allowance: Allowance }>();

  constructor(
    private readonly counters: SharedCounters,
    private readonly holder: string,
    private readonly limit: RateLimit,
  ) {
    this.#windowMs = Math.max(1000, Math.ceil((limit.burst / Math.max(limit.perSecond, 1e-9)) * 1000));
  }

  async take(key: string, now = Date.now()): Promise<void> {
    const { perSecond, burst } = this.limit;
    if (perSecond <= 0) return;
    const window = Math.floor(now / this.#windowMs);
    let entry = this.#keys.get(key);
    if (!entry || entry.window !== window) {
      if (this.#keys.size > 100_000) this.#keys.clear();
      // A window's shares expire soon after it ends (pruned with the others).
      const allowance = new Allowance(
        this.counters,
        `rate/${key}/${window}`,
        this.holder,
        2 * this.#windowMs,
      );
      entry = { window, allowance };
      this.#keys.set(key, entry);
    }
    if (entry.allowance.trySpend(burst) || (await entry.allowance.spend(burst))) return;
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * this.#windowMs - now) / 1000));
    throw new RunletError(
      "RUNLET_ERR_RATE_LIMITED",
      `this key sent more than ${burst} requests in ${this.#windowMs / 1000} s (${perSecond} per second) across the cluster; slow down and retry after ${retryAfter} s`,
      { headers: { "retry-after": String(retryAfter) } },
    );
  }
}
