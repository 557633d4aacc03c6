import type { Failed } from "../outcomes.js";
import type { PublishChange } from "../model/change.js";
import { RunletError } from "../errors.js";
import type { Activation } from "../model/activation.js";
import type { QuotaOverrides, QuotaUsage } from "../model/account.js";
import type { Store } from "../store/store.js";
import type { SharedCounters } from "../model/counters.js";
import { Allowance } from "./allowance.js";

/** An account's quotas; 0 means no limit. */
export interface QuotaLimits {
  /** Functions an account may have. */
  readonly functions: number;
  /** Invocations in flight at once, across the cluster. */
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
  /** Until the account's quotas were first read: its first admission waits for them (no default slips by). */
  first: Promise<void> | undefined;
  /** This month's invocations, counted in the shared counters (set while the account has a monthly quota). */
  monthly: Allowance | undefined;
  /** Until the monthly counter is seeded: no admission takes from it before (it would not see the base). */
  seeded: Promise<void> | undefined;
  /** In-flight slots of the concurrency quota, in the shared counters (held by this node while it lives). */
  slots: Allowance;
}

interface Admitted {
  state: AccountState;
  monthly: Allowance | undefined;
  slot: boolean;
}

export interface QuotaOptions {
  flushMs: number;
  overridesTtlMs: number;
  /** Where the monthly and concurrency quotas count: in process (embedded) or shared (cluster). */
  counters: SharedCounters;
  /** This node, as a holder of shared counts (its slots come back when it dies). */
  holder: string;
}

/** How long a node's concurrency slots outlive its last renewal (renewed every third of it). */
const SLOT_TTL_MS = 9000;

/** UTC calendar month, YYYY-MM: the period monthly quotas count in. */
export function periodOf(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

function secondsToNextMonth(now: number): number {
  const d = new Date(now);
  return Math.max(1, Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now) / 1000));
}

/**
 * Per-account quotas. The monthly invocation quota and the concurrency quota hold across the cluster:
 * they count in the shared counters (SharedCounters: in process when embedded, PostgreSQL in a cluster),
 * which nodes take from in blocks of a hundredth of the limit (Allowance), so most admissions make no
 * round trip and N nodes admit the quota, not N times it (short of it by at most their spare blocks,
 * which go back every `flushMs`). A dead node's concurrency slots come back once it stops renewing them.
 * Usage (invocations, log bytes) is also added to the database's monthly counters every `flushMs`; the
 * log-bytes quota is checked against those, so a cluster may pass it by one flush interval's logs.
 */
export class Quotas {
  #accounts = new Map<string, AccountState>();
  #admitted = new Map<string, Admitted>();
  #timer: NodeJS.Timeout;
  /** Tells the cluster about this node's quota changes (set by the platform). */
  publish: PublishChange | undefined;
  #slotTimer: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    readonly defaults: QuotaLimits,
    private readonly options: QuotaOptions,
  ) {
    this.#timer = setInterval(() => void this.flush().catch(() => {}), options.flushMs);
    this.#timer.unref();
    this.#slotTimer = setInterval(() => void this.#renewSlots(), SLOT_TTL_MS / 3);
    this.#slotTimer.unref();
  }

  /** The dispatcher's admission check: counts the invocation, or says which quota refuses it. */
  async admit(account: string, activationId: string, now = Date.now()): Promise<Failed | undefined> {
    try {
      return await this.#admit(account, activationId, now);
    } catch {
      // The shared counters cannot be reached: refuse for now rather than admit uncounted.
      return refusal(
        "RUNLET_ERR_UNAVAILABLE",
        `account ${account}'s quotas cannot be checked (the database does not answer); retry shortly`,
        1,
      );
    }
  }

  async #admit(account: string, activationId: string, now: number): Promise<Failed | undefined> {
    const state = this.#state(account, now);
    if (state.first) {
      await state.first;
      state.first = undefined;
    }
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
    const over = monthly(
      limits.logBytesPerMonth,
      used.logBytes + pending.logBytes,
      "RUNLET_ERR_QUOTA_LOGS",
      "used its log bytes",
    );
    if (over) return over;
    const invocations = limits.invocationsPerMonth;
    let counted: Allowance | undefined;
    if (invocations > 0) {
      counted = await this.#monthly(account, state, now);
      if (!counted.trySpend(invocations) && !(await counted.spend(invocations))) {
        return monthly(invocations, invocations, "RUNLET_ERR_QUOTA_INVOCATIONS", "used its invocations");
      }
    }
    const slot = limits.concurrent > 0;
    if (slot && !state.slots.trySpend(limits.concurrent) && !(await state.slots.spend(limits.concurrent))) {
      counted?.unspend();
      return refusal(
        "RUNLET_ERR_QUOTA_CONCURRENCY",
        `account ${account} has ${limits.concurrent} invocations in flight across the cluster, its quota; retry in a moment`,
        1,
      );
    }
    state.inFlight++;
    pending.invocations++;
    this.#admitted.set(activationId, { state, monthly: counted, slot });
    return undefined;
  }

  /** The account's monthly allowance, its counter started from the month's stored count the first time. */
  async #monthly(account: string, state: AccountState, now: number): Promise<Allowance> {
    const key = `invocations/${account}/${periodOf(now)}`;
    if (state.monthly?.key === key) {
      await state.seeded;
      return state.monthly;
    }
    const old = state.monthly;
    const allowance = new Allowance(this.options.counters, key, this.options.holder);
    state.monthly = allowance;
    const seeded = (async () => {
      await old?.release().catch(() => {});
      const used = await this.store.quotas.usage(account, periodOf(now));
      await this.options.counters.seed(key, used.invocations);
    })();
    state.seeded = seeded.catch(() => {
      // Not seeded (the database is down): the next admission tries again.
      if (state.monthly === allowance) state.monthly = undefined;
    });
    await seeded;
    return allowance;
  }

  async #renewSlots(): Promise<void> {
    const { counters, holder } = this.options;
    await counters.touch(holder, SLOT_TTL_MS).catch(() => {});
    await counters.prune().catch(() => {});
  }

  /** Called for every activation record: ends an admitted invocation and counts its log bytes. */
  finished(activation: Activation): void {
    const admitted = this.#admitted.get(activation.id);
    const state = admitted?.state;
    if (admitted && state) {
      this.#admitted.delete(activation.id);
      state.inFlight--;
      if (admitted.slot) state.slots.unspend();
      // Refused after admission (every instance busy): it did not run, so it does not count.
      if (activation.status === "rejected") {
        state.pending.invocations--; // may go below 0: flushed as a refund
        admitted.monthly?.unspend();
      }
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
      // Spare counts back to the shared counters, so other nodes can have them.
      await state.monthly?.release();
      await state.slots.release();
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
    clearInterval(this.#slotTimer);
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
        first: undefined,
        monthly: undefined,
        seeded: undefined,
        slots: new Allowance(
          this.options.counters,
          `concurrent/${account}`,
          this.options.holder,
          SLOT_TTL_MS,
        ),
      };
      this.#accounts.set(account, state);
    }
    if (!state.loading && now - state.overridesAt > this.options.overridesTtlMs)
      this.#refresh(account, state, now);
    return state;
  }

  #refresh(account: string, state: AccountState, now: number): void {
    state.loading = true;
    const firstTime = state.overridesAt === 0 && state.first === undefined;
    state.overridesAt = now;
    const period = periodOf(now);
    const done = Promise.all([
      this.store.quotas.getOverrides(account),
      this.store.quotas.usage(account, period),
    ])
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
    if (firstTime) state.first = done;
  }
}

function refusal(code: Failed["code"], message: string, retryAfter: number): Failed {
  return { status: "rejected", code, message, headers: { "retry-after": String(retryAfter) } };
}
