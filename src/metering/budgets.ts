import type { Pricing } from "../config.js";
import { timeId } from "../ids.js";
import type { Activation } from "../model/activation.js";
import type { Budget, BudgetAlert } from "../model/budget.js";
import type { SharedCounters } from "../model/counters.js";
import type { Failed } from "../outcomes.js";
import type { Store } from "../store/store.js";
import { periodOf } from "./quotas.js";
import { price } from "./usage.js";

export interface BudgetOptions {
  /** Where the month's spend counts: in process (embedded) or shared by every node (cluster). */
  counters: SharedCounters;
  /** This node, as a holder of shared counts. */
  holder: string;
  pricing: Pricing;
  /** How often this node adds its spend to the shared counters, reads the totals back and checks alerts. */
  flushMs: number;
  /** How long budgets read from the database are used before they are read again (other nodes' changes). */
  budgetsTtlMs: number;
  /** Writes pending activation records, so a month's spend read from them counts every answered one. */
  flushRecords: () => Promise<void>;
  /** The account's webhook signing secret (budget-alerts.ts). */
  secretOf: (account: string) => string;
  /** Sends an alert to its budget's webhook; resolves with how it went. */
  notify: (budget: Budget, alert: BudgetAlert) => Promise<NonNullable<BudgetAlert["delivery"]>>;
}

/** One budget's month of spend, in millionths of a cost unit. */
interface Spend {
  key: string;
  period: string;
  /** Invocations that started from then on count here; those before were summed from their records. */
  since: number;
  /** The shared counter's total at the last flush (every node's flushed spend). */
  total: number;
  /** Counted on this node and not yet added to the shared counter. */
  pending: number;
  ready: Promise<void>;
}

interface AccountBudgets {
  budgets: Budget[];
  readAt: number;
  reading: Promise<void> | undefined;
}

/** What an activation cost, in millionths of a cost unit: the usage API's price of that one record. */
export function costMicros(activation: Activation, pricing: Pricing): number {
  const row = {
    key: "",
    invocations: 1,
    errors: 0,
    billedMs: activation.billedMs,
    gbSeconds: (activation.billedMs * activation.memoryMb) / 1000 / 1024,
  };
  return Math.round(price(row, pricing).cost * 1_000_000);
}

function scopeOf(account: string, fn: string | undefined): string {
  return fn === undefined ? `${account}/*` : `${account}/fn:${fn}`;
}

function secondsToNextMonth(now: number): number {
  const d = new Date(now);
  return Math.max(1, Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now) / 1000));
}

/**
 * Monthly budgets of accounts and functions. Each budget's spend is the usage API's cost of the month's
 * activation records: summed from the records once (when the budget is first seen this month on a node),
 * then counted as activations are recorded, in a shared counter per budget and month (SharedCounters: in
 * process when embedded, PostgreSQL in a cluster), which every node adds its spend to each `flushMs` and
 * reads the total from. Admission reads only this node's cached figure, never the database: a cluster may
 * pass a hard limit by what its nodes spent within one flush interval. Alerts are checked at each flush;
 * each threshold fires once per month and amount, across the cluster (budget_alerts' unique key).
 */
export class Budgets {
  #accounts = new Map<string, AccountBudgets>();
  #spends = new Map<string, Spend>();
  /** Alerts this node already recorded or saw recorded: (scope, period, threshold, amount). */
  #fired = new Set<string>();
  #sending = new Set<Promise<void>>();
  #timer: NodeJS.Timeout;
  #flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: BudgetOptions,
  ) {
    this.#timer = setInterval(() => void this.flush().catch(() => {}), options.flushMs);
    this.#timer.unref();
  }

  /**
   * The dispatcher's admission check: refuses an invocation whose budget (with hardLimit) is spent. `now`
   * is when the invocation started: a month's spend first seen here counts it (see #spend).
   */
  async admit(account: string, fn: string, now = Date.now()): Promise<Failed | undefined> {
    try {
      return await this.#admit(account, fn, now);
    } catch {
      // The budgets or their spend cannot be read: refuse for now rather than pass a hard limit unseen.
      return {
        status: "rejected",
        code: "RUNLET_ERR_UNAVAILABLE",
        message: `account ${account}'s budgets cannot be checked (the database does not answer); retry shortly`,
        headers: { "retry-after": "1" },
      };
    }
  }

  async #admit(account: string, fn: string, now: number): Promise<Failed | undefined> {
    const budgets = await this.#budgets(account, now);
    for (const budget of budgets) {
      if (!budget.hardLimit || (budget.function !== undefined && budget.function !== fn)) continue;
      const spent = await this.spent(budget, now);
      if (spent < budget.amountMicros) continue;
      const whose = budget.function === undefined ? `account ${account}` : `function ${fn}`;
      return {
        status: "rejected",
        code: "RUNLET_ERR_BUDGET_EXCEEDED",
        message: `${whose} spent its monthly budget of ${budget.amountMicros / 1_000_000} (hardLimit); raise it with runlet budget set, or wait for the 1st (UTC)`,
        headers: { "retry-after": String(secondsToNextMonth(now)) },
      };
    }
    return undefined;
  }

  /** Called for every activation record: its cost counts toward its account's and function's budgets. */
  finished(activation: Activation): void {
    if (activation.status === "queued" || activation.status === "running") return;
    const state = this.#accounts.get(activation.account);
    if (!state) return;
    let cost: number | undefined;
    for (const budget of state.budgets) {
      if (budget.function !== undefined && budget.function !== activation.function) continue;
      const spend = this.#spends.get(scopeOf(budget.account, budget.function));
      if (!spend || spend.period !== periodOf(activation.startedAt) || activation.startedAt < spend.since)
        continue;
      cost ??= costMicros(activation, this.options.pricing);
      spend.pending += cost;
    }
  }

  /** What the budget's scope spent this month, as this node knows it now (micros). */
  async spent(budget: Budget, now = Date.now()): Promise<number> {
    const spend = this.#spend(budget, now);
    await spend.ready;
    return spend.total + spend.pending;
  }

  /** What the account's budget webhooks are signed with. */
  webhookSecret(account: string): string {
    return this.options.secretOf(account);
  }

  /** The account's budgets, read fresh (the API's view). */
  async list(account: string): Promise<Budget[]> {
    await this.#read(account, this.#state(account));
    return this.#state(account).budgets;
  }

  async set(budget: Budget): Promise<void> {
    await this.store.budgets.set(budget);
    await this.#read(budget.account, this.#state(budget.account));
  }

  async delete(account: string, fn: string | undefined): Promise<boolean> {
    const deleted = await this.store.budgets.delete(account, fn);
    await this.#read(account, this.#state(account));
    return deleted;
  }

  /** Adds this node's spend to the shared counters, reads the totals back, and fires crossed thresholds. */
  flush(): Promise<void> {
    // One at a time: a flush that overlapped another would add the same pending spend twice.
    const next = (this.#flushing ?? Promise.resolve()).then(() => this.#flush());
    this.#flushing = next.catch(() => {});
    return next;
  }

  async #flush(): Promise<void> {
    const now = Date.now();
    for (const [account, state] of this.#accounts) {
      for (const budget of state.budgets) {
        const spend = this.#spend(budget, now);
        await spend.ready;
        if (spend.pending > 0) {
          const n = spend.pending;
          spend.pending = 0;
          try {
            await this.options.counters.take(spend.key, this.options.holder, n, 0);
          } catch (err) {
            spend.pending += n;
            throw err;
          }
        }
        spend.total = await this.options.counters.total(spend.key);
        await this.#alerts(account, budget, spend, now);
      }
    }
  }

  async #alerts(account: string, budget: Budget, spend: Spend, now: number): Promise<void> {
    const spent = spend.total + spend.pending;
    for (const threshold of budget.thresholds) {
      if (spent * 100 < threshold * budget.amountMicros) break; // ascending
      const once = `${scopeOf(account, budget.function)}/${spend.period}/${threshold}/${budget.amountMicros}`;
      if (this.#fired.has(once)) continue;
      this.#fired.add(once);
      const alert: BudgetAlert = {
        id: timeId("alr_"),
        account,
        ...(budget.function !== undefined ? { function: budget.function } : {}),
        period: spend.period,
        threshold,
        amountMicros: budget.amountMicros,
        spentMicros: spent,
        createdAt: now,
      };
      if (!(await this.store.budgets.addAlert(alert)) || !budget.webhookUrl) continue;
      const sending = this.options
        .notify(budget, alert)
        .then((delivery) => this.store.budgets.setDelivery(alert.id, delivery))
        .catch(() => {})
        .finally(() => this.#sending.delete(sending));
      this.#sending.add(sending);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush().catch(() => {});
    await Promise.all([...this.#sending]);
  }

  #state(account: string): AccountBudgets {
    let state = this.#accounts.get(account);
    if (!state) this.#accounts.set(account, (state = { budgets: [], readAt: 0, reading: undefined }));
    return state;
  }

  async #budgets(account: string, now: number): Promise<Budget[]> {
    const state = this.#state(account);
    if (state.readAt === 0) await this.#read(account, state);
    else if (now - state.readAt > this.options.budgetsTtlMs && !state.reading)
      void this.#read(account, state).catch(() => {});
    return state.budgets;
  }

  #read(account: string, state: AccountBudgets): Promise<void> {
    const reading = this.store.budgets.list(account).then((budgets) => {
      state.budgets = budgets;
      state.readAt = Date.now();
      // A budget removed counts nothing meanwhile: one set again starts over from the records.
      const kept = new Set(budgets.map((b) => scopeOf(account, b.function)));
      for (const scope of this.#spends.keys())
        if (scope.startsWith(`${account}/`) && !kept.has(scope)) this.#spends.delete(scope);
    });
    state.reading = reading.finally(() => {
      if (state.reading === reading) state.reading = undefined;
    });
    return reading;
  }

  /**
   * The budget's spend this month; the first time, summed from the records of invocations that started
   * before `now` (written first), and from then on counted as records come: exact for what starts later.
   * What was still running at `now` on some node is missed (its record comes later but started before).
   */
  #spend(budget: Budget, now: number): Spend {
    const scope = scopeOf(budget.account, budget.function);
    const period = periodOf(now);
    const known = this.#spends.get(scope);
    if (known?.period === period) return known;
    const since = now;
    const key = `spend/${scope}/${period}`;
    const spend: Spend = { key, period, since, total: 0, pending: 0, ready: Promise.resolve() };
    spend.ready = (async () => {
      await this.options.flushRecords();
      const from = Date.parse(`${period}-01T00:00:00Z`);
      const [row] = await this.store.activations.usage({
        account: budget.account,
        from,
        to: since,
        ...(budget.function !== undefined ? { function: budget.function } : {}),
      });
      const spent = row ? Math.round(price(row, this.options.pricing).cost * 1_000_000) : 0;
      await this.options.counters.seed(key, spent);
      spend.total = await this.options.counters.total(key);
    })();
    // Not seeded (the database is down): the next use starts over.
    spend.ready.catch(() => {
      if (this.#spends.get(scope) === spend) this.#spends.delete(scope);
    });
    this.#spends.set(scope, spend);
    return spend;
  }
}
