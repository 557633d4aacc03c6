/**
 * Counters behind the outbound limits: requests per invocation (by activation id, forgotten once the
 * invocation's deadline passed) and per second per function (a one-second window per account/function).
 */
export class FetchCounters {
  #perInvocation = new Map<string, { count: number; deadline: number }>();
  #perSecond = new Map<string, { second: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one request for the invocation; false once it made `max` already. */
  takeInvocation(activationId: string, deadline: number, max: number): boolean {
    const now = this.now();
    if (this.#perInvocation.size > 1000) {
      for (const [id, entry] of this.#perInvocation) if (entry.deadline < now) this.#perInvocation.delete(id);
    }
    const entry = this.#perInvocation.get(activationId) ?? { count: 0, deadline };
    if (entry.count >= max) return false;
    entry.count++;
    this.#perInvocation.set(activationId, entry);
    return true;
  }

  /** Counts one request for the function in the current second; false once it made `max` already. */
  takeSecond(fn: string, max: number): boolean {
    const second = Math.floor(this.now() / 1000);
    let entry = this.#perSecond.get(fn);
    if (!entry || entry.second !== second) {
      if (this.#perSecond.size > 10_000) this.#perSecond.clear();
      entry = { second, count: 0 };
      this.#perSecond.set(fn, entry);
    }
    if (entry.count >= max) return false;
    entry.count++;
    return true;
  }
}
