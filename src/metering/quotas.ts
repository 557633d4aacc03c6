import type { Failed } from "../outcomes.js";
import type { PublishChange } from "../model/change.js";
import { RunletError } from "../errors.js";
import type { Activation } from "../model/activation.js";
import type { QuotaOverrides, QuotaUsage } from "../model/account.js";
import type { Store } from "../store/store.js";

/** An account's quotas; 0 means no limit. */
export interface QuotaLimits {
  /** Functions an account may have. */
  readonly functions: number;
  /** Invocations in flight at once, per node. */
  readonly concurrent: number;
  readonly invocationsPerMonth: number;
  /** Largest invocation payload, in bytes (never above the platform's own payload limit). */
  readonly payloadBytes: number;
  /** Log bytes the account's functions may write per calendar month (UTC). */
  readonly logBytesPerMonth: number;
}

export const QUOTA_NAMES = [
  "functions",
  "concurrent",
  "invocationsPerMonth",
  "payloadBytes",
  "logBytesPerMonth",
] as const satisfies readonly (keyof QuotaLimits)[];

interface AccountState {
  limits: QuotaLimits;
  overridesAt: number;
  period: string;
  /** What the database says the account used this month (every node's flushed counts). */
  used: QuotaUsage;
  /** Counted on this node since the last flush. */
  pending: QuotaUsage;
  inFlight: number;
  loading: boolean;
}

/** UTC calendar month, YYYY-MM: the period monthly quotas count in. */
export function periodOf(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

function secondsToNextMonth(now: number): number {
  const d = new Date(now);
  return Math.max(1, Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now) / 1000));
}

/**
 * Per-account quotas, enforced without a database round trip on the invocation path: counts are kept in
 * memory and added to the shared counters every `flushMs` (then the month's total is read back, so
 * other nodes' counts show up). Between flushes a cluster may overshoot a monthly quota by what the
 * other nodes admitted in that interval; concurrency is counted per node.
 */
export class Quotas {
  #accounts = new Map<string, AccountState>();
  #admitted = new Map<string, AccountState>();
  #timer: NodeJS.Timeout;
  /** Tells the cluster about this node's quota changes (set by the platform). */
  publish: PublishChange | undefined;

  constructor(
    private readonly store: Store,
    readonly defaults: QuotaLimits,
    private readonly options: { flushMs: number; overridesTtlMs: number } = {
      flushMs: 5000,
      overridesTtlMs: 5000,
    },
  ) {
    this.#timer = setInterval(() => void this.flush().catch(() => {}), options.flushMs);
    this.#timer.unref();
  }

  /** The dispatcher's admission check (synchronous: the account's state is loaded in the background). */
  admit(account: string, activationId: string, now = Date.now()): Failed | undefined {
    const state = this.#state(account, now);
    const { limits, used, pending } = state;
    const monthly = (
      limit: number,
      count: number,
      code: "RUNLET_ERR_QUOTA_INVOCATIONS" | "RUNLET_ERR_QUOTA_LOGS",
      what: string,
    ) =>
      limit > 0 && count >= limit
        ? refusal(
            code,
            `account ${account} ${what} this month (quota ${limit}); it resets on the 1st (UTC)`,
            secondsToNextMonth(now),
          )
        : undefined;
    const over =
      monthly(
        limits.invocationsPerMonth,
        used.invocations + pending.invocations,
        "RUNLET_ERR_QUOTA_INVOCATIONS",
        "used its invocations",
      ) ??
      monthly(
        limits.logBytesPerMonth,
        used.logBytes + pending.logBytes,
        "RUNLET_ERR_QUOTA_LOGS",
        "used its log bytes",
      );
    if (over) return over;
    if (limits.concurrent > 0 && state.inFlight >= limits.concurrent) {
      return refusal(
        "RUNLET_ERR_QUOTA_CONCURRENCY",
        `account ${account} has ${state.inFlight} invocations in flight, its quota (${limits.concurrent})`,
        1,
      );
    }
    state.inFlight++;
    pending.invocations++;
    this.#admitted.set(activationId, state);
    return undefined;
  }

  /** Called for every activation record: ends an admitted invocation and counts its log bytes. */
  finished(activation: Activation): void {
    const state = this.#admitted.get(activation.id);
    if (state) {
      this.#admitted.delete(activation.id);
      state.inFlight--;
      // Refused after admission (every instance busy): it did not run, so it does not count.
      if (activation.status === "rejected") state.pending.invocations--; // may go below 0: flushed as a refund
    }
    const target = state ?? this.#accounts.get(activation.account);
    if (!target || activation.logs.length === 0) return;
    let bytes = 0;
    for (const line of activation.logs) bytes += Buffer.byteLength(line.msg);
    target.pending.logBytes += bytes;
  }

  /** Throws 413 when a payload is over the account's payload quota. */
  checkPayload(account: string, bytes: number): void {
    const limit = this.#state(account, Date.now()).limits.payloadBytes;
    if (limit > 0 && bytes > limit) {
      throw new RunletError(
        "RUNLET_ERR_QUOTA_PAYLOAD",
        `the payload is ${bytes} bytes, over account ${account}'s payload quota of ${limit} bytes`,
      );
    }
  }

  /** Throws 403 when creating function `name` would take the account over its function quota. */
  async checkNewFunction(account: string, name: string): Promise<void> {
    const limit = (await this.limits(account)).functions;
    if (limit <= 0) return;
    const existing = await this.store.functions.list(account);
    if (existing.length >= limit && !existing.some((fn) => fn.name === name)) {
      throw new RunletError(
        "RUNLET_ERR_QUOTA_FUNCTIONS",
        `account ${account} has ${existing.length} functions, its quota (${limit}); delete one before creating ${name}`,
      );
    }
  }

  /** The account's effective quotas (defaults merged with its overrides), read fresh. */
  async limits(account: string): Promise<QuotaLimits> {
    const state = this.#state(account, Date.now());
    state.limits = { ...this.defaults, ...(await this.store.quotas.getOverrides(account)) };
    state.overridesAt = Date.now();
    return state.limits;
  }

  async usage(account: string): Promise<QuotaUsage & { inFlight: number }> {
    await this.flush();
    const state = this.#state(account, Date.now());
    return {
      invocations: state.used.invocations + state.pending.invocations,
      logBytes: state.used.logBytes + state.pending.logBytes,
      inFlight: state.inFlight,
    };
  }

  async setOverrides(account: string, overrides: QuotaOverrides): Promise<QuotaLimits> {
    await this.store.quotas.setOverrides(account, overrides, Date.now());
    const limits = await this.limits(account);
    this.publish?.({ kind: "quotas", account });
    return limits;
  }

  /** Another node changed the account's quotas (src/cluster): read them again now; undefined: every account's. */
  changedElsewhere(account?: string): void {
    const now = Date.now();
    for (const [name, state] of this.#accounts) {
      if (account !== undefined && name !== account) continue;
      // A read in progress may predate the change: the next admission starts another.
      state.overridesAt = 0;
      if (!state.loading) this.#refresh(name, state, now);
    }
  }

  /** Adds this node's counts to the shared counters and reads the month's totals back. */
  async flush(): Promise<void> {
    for (const [account, state] of this.#accounts) {
      const delta = state.pending;
      const period = state.period;
      if (delta.invocations !== 0 || delta.logBytes !== 0) {
        state.pending = { invocations: 0, logBytes: 0 };
        try {
          await this.store.quotas.add(account, period, delta);
        } catch (err) {
          state.pending.invocations += delta.invocations;
          state.pending.logBytes += delta.logBytes;
          throw err;
        }
      }
      state.used = await this.store.quotas.usage(account, periodOf(Date.now()));
      state.period = periodOf(Date.now());
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  #state(account: string, now: number): AccountState {
    let state = this.#accounts.get(account);
    if (!state) {
      state = {
        limits: this.defaults,
        overridesAt: 0,
        period: periodOf(now),
        used: { invocations: 0, logBytes: 0 },
        pending: { invocations: 0, logBytes: 0 },
        inFlight: 0,
        loading: false,
      };
      this.#accounts.set(account, state);
    }
    if (!state.loading && now - state.overridesAt > this.options.overridesTtlMs)
      this.#refresh(account, state, now);
    return state;
  }

  #refresh(account: string, state: AccountState, now: number): void {
    state.loading = true;
    state.overridesAt = now;
    const period = periodOf(now);
    void Promise.all([this.store.quotas.getOverrides(account), this.store.quotas.usage(account, period)])
      .then(([overrides, used]) => {
        state.limits = { ...this.defaults, ...overrides };
        if (state.period !== period) state.pending = { invocations: 0, logBytes: 0 };
        state.period = period;
        state.used = used;
      })
      .catch(() => {
        state.overridesAt = 0; // try again on the next request
      })
      .finally(() => {
        state.loading = false;
      });
  }
}

function refusal(code: Failed["code"], message: string, retryAfter: number): Failed {
  return { status: "rejected", code, message, headers: { "retry-after": String(retryAfter) } };
}
