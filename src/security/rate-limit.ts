import { RunletError } from "../errors.js";

export interface RateLimit {
  /** Requests per second refilled into each key's bucket (0: no limit). */
  perSecond: number;
  /** Bucket size: how many requests a key may send at once after being idle. */
  burst: number;
}

/**
 * Per-key request rate limiting: a token bucket per API key, in memory on each node (so with N nodes
 * behind a balancer a key gets up to N times the rate; the limit is there to stop a runaway client,
 * not to bill). No database work: one map lookup and some arithmetic per request.
 */
export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Takes one request from the key's bucket, or throws 429 with the seconds until one is refilled. */
  take(key: string, now = Date.now()): void {
    const { perSecond, burst } = this.limit;
    if (perSecond <= 0) return;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size > 100_000) this.#buckets.clear();
      bucket = { tokens: burst, at: now };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
    }
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
      throw new RunletError(
        "RUNLET_ERR_RATE_LIMITED",
        `this key sent more than ${perSecond} requests per second (burst ${burst}); slow down and retry after ${retryAfter} s`,
        { headers: { "retry-after": String(retryAfter) } },
      );
    }
    bucket.tokens -= 1;
  }
}
