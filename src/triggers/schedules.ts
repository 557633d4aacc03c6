import type { Cron } from "croner";
import type { Logger } from "pino";
import { RunletError } from "../errors.js";
import type { AsyncInvoker } from "../model/invocation.js";
import type { ScheduleFiring } from "../model/account.js";
import type { VersionRecord } from "../model/function.js";
import type { TriggerRepository } from "../store/store.js";
import { cronOf, scheduleKey, type Schedule } from "./cron.js";
import type { TriggerConsumer } from "./trigger-sync.js";

export interface ScheduleRunnerOptions {
  repo: TriggerRepository;
  /** Where firings are queued (platform.async; read when a tick fires, as it is wired after this). */
  invoker: AsyncInvoker;
  /** This node's id, recorded on the ticks it claims. */
  node: string;
  /** Run each schedule's newest missed tick once on start (RUNLET_SCHEDULE_CATCH_UP). */
  catchUp: boolean;
  log: Logger;
}

interface Armed {
  account: string;
  function: string;
  schedule: Schedule;
  key: string;
  cron: Cron;
  timer?: NodeJS.Timeout;
}

// setTimeout holds at most 2^31-1 ms; a far tick is reached in hops of a day.
const MAX_DELAY_MS = 86_400_000;
// A claim older than this without an activation: its node stopped between claim and submit.
const STALE_CLAIM_MS = 60_000;
// Ticks a late timer still fires (the newest ones); a longer stall is an outage, not a hiccup.
const MAX_OVERDUE = 60;
const PRUNE_EVERY_MS = 3_600_000;
const KEEP_FIRINGS_MS = 86_400_000;

/**
 * Fires deployed functions' schedules as async activations (trigger `schedule`). Every node arms every
 * schedule; at each tick the nodes race to insert the tick's row (the cluster-wide lock) and only the one
 * whose insert lands submits, so a tick fires once however many nodes run.
 */
export class ScheduleRunner implements TriggerConsumer {
  #armed = new Map<string, Armed>();
  #first = true;
  #closed = false;
  #lastPrune = 0;
  /** Firings between claim and submit: close() lets them finish, so a stop leaves no claim unsubmitted. */
  #inflight = new Set<Promise<void>>();

  constructor(private readonly options: ScheduleRunnerOptions) {}

  async reconcile(deployed: VersionRecord[]): Promise<void> {
    const wanted = new Map<string, Armed>();
    for (const version of deployed) {
      for (const schedule of version.config.schedules) {
        const key = scheduleKey(schedule);
        const id = `${version.account}/${version.function}/${key}`;
        if (wanted.has(id)) continue;
        const armed = this.#armed.get(id);
        wanted.set(
          id,
          armed ?? {
            account: version.account,
            function: version.function,
            schedule,
            key,
            cron: cronOf(schedule),
          },
        );
      }
    }
    let removed = false;
    for (const [id, armed] of this.#armed) {
      if (!wanted.has(id)) {
        clearTimeout(armed.timer);
        this.#armed.delete(id);
        removed = true;
      }
    }
    // Once settled, no firing of a removed schedule is still on its way.
    if (removed) await Promise.all(this.#inflight);
    const added = [...wanted].filter(([id]) => !this.#armed.has(id));
    for (const [id, armed] of added) {
      this.#armed.set(id, armed);
      this.#arm(armed, Date.now());
    }
    if (this.#first) {
      this.#first = false;
      if (this.options.catchUp) await Promise.all(added.map(([, armed]) => this.#catchUp(armed)));
    }
    // Its failure must not keep the other consumers (NATS) from their turn in this sync.
    await this.#housekeeping().catch((err: unknown) =>
      this.options.log.error({ err }, "schedule housekeeping failed; will retry"),
    );
  }

  /** The schedules this node has armed, with their next tick (for tests and diagnostics). */
  armed(): { account: string; function: string; cron: string; next: number | undefined }[] {
    return [...this.#armed.values()].map((a) => ({
      account: a.account,
      function: a.function,
      cron: a.schedule.cron,
      next: a.cron.nextRun()?.getTime(),
    }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const armed of this.#armed.values()) clearTimeout(armed.timer);
    this.#armed.clear();
    await Promise.all(this.#inflight);
  }

  /** Sets the timer for the first tick after `after` (ms). */
  #arm(armed: Armed, after: number): void {
    const next = armed.cron.nextRun(new Date(after));
    if (next === null || this.#closed) return;
    const tick = next.getTime();
    const delay = tick - Date.now();
    armed.timer = setTimeout(
      () => {
        if (this.#armed.get(`${armed.account}/${armed.function}/${armed.key}`) !== armed) return;
        if (delay > MAX_DELAY_MS) return this.#arm(armed, after);
        // A timer may wake early (the next tick is after this one) or late, past more ticks (a stalled
        // event loop): those fire too, each once, the oldest dropped beyond MAX_OVERDUE.
        const now = Date.now();
        const ticks = [tick];
        for (let later = armed.cron.nextRun(new Date(tick)); later && later.getTime() <= now;) {
          ticks.push(later.getTime());
          if (ticks.length > MAX_OVERDUE) ticks.shift();
          later = armed.cron.nextRun(later);
        }
        this.#arm(armed, Math.max(ticks.at(-1)!, now));
        for (const due of ticks) {
          const firing = this.#fire(armed, due).finally(() => this.#inflight.delete(firing));
          this.#inflight.add(firing);
        }
      },
      Math.max(0, Math.min(delay, MAX_DELAY_MS)),
    );
    armed.timer.unref();
  }

  /** Claims the tick; only the node whose claim lands submits the activation. */
  async #fire(armed: Armed, tick: number): Promise<void> {
    const firing: ScheduleFiring = {
      account: armed.account,
      function: armed.function,
      schedule: armed.key,
      tick,
      node: this.options.node,
      firedAt: Date.now(),
    };
    try {
      if (!(await this.options.repo.claimTick(firing))) return;
      await this.#submit(firing, armed.schedule);
    } catch (err) {
      this.options.log.error(
        { err, function: armed.function, cron: armed.schedule.cron, tick },
        "schedule firing failed",
      );
    }
  }

  async #submit(firing: ScheduleFiring, schedule: Schedule): Promise<void> {
    const { activationId } = await this.options.invoker.submit({
      invocation: {
        kind: "schedule",
        account: firing.account,
        function: firing.function,
        payload: schedule.payload ?? null,
        cron: schedule.cron,
        tick: firing.tick,
      },
      // A resubmission after a crash between submit and recording it is then a duplicate, not a second run.
      idempotencyKey: `schedule:${firing.schedule}:${firing.tick}`,
    });
    await this.options.repo.setActivation(firing, activationId);
  }

  /** On start: the newest tick missed while no node ran fires once (its claim keeps it from repeating). */
  async #catchUp(armed: Armed): Promise<void> {
    try {
      const last = await this.options.repo.lastTick(armed.account, armed.function, armed.key);
      if (last === undefined) return;
      const [missed] = armed.cron.previousRuns(1, new Date());
      if (missed && missed.getTime() > last) await this.#fire(armed, missed.getTime());
    } catch (err) {
      this.options.log.error({ err, function: armed.function }, "schedule catch-up failed");
    }
  }

  /** Resubmits ticks whose node stopped between claim and submit; prunes old firings now and then. */
  async #housekeeping(): Promise<void> {
    const now = Date.now();
    for (const firing of await this.options.repo.unsubmitted(now - STALE_CLAIM_MS, 100)) {
      const armed = this.#armed.get(`${firing.account}/${firing.function}/${firing.schedule}`);
      try {
        if (armed) await this.#submit(firing, armed.schedule);
        // Its schedule is gone (undeployed, changed): mark it so it is not looked at again.
        else await this.options.repo.setActivation(firing, "");
      } catch (err) {
        if (err instanceof RunletError) await this.options.repo.setActivation(firing, "");
        this.options.log.error({ err, function: firing.function }, "resubmitting a schedule firing failed");
      }
    }
    if (now - this.#lastPrune > PRUNE_EVERY_MS) {
      this.#lastPrune = now;
      await this.options.repo.prune(now - KEEP_FIRINGS_MS);
    }
  }
}
