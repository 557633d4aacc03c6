import type { Logger } from "pino";
import type { Activation, ActivationStatus } from "../model/activation.js";
import type { FunctionRecord } from "../model/function.js";
import type { VersionStats } from "../store/records.js";
import type { ActivationRepository } from "../store/store.js";
import type { Catalog } from "./catalog.js";
import type { Rollouts } from "./rollout.js";

/** What counts against a version: its code failed, ran out of time or of memory (not a refusal). */
const FAILED: ActivationStatus[] = ["function_error", "timeout", "resource_exceeded"];

export interface AutoRollbackOptions {
  /** How often the functions that recorded activations are looked at (ms). */
  checkEveryMs?: number;
  now?: () => number;
}

/**
 * Rolls a failing canary back by itself, off the request path: the activation stream only marks which
 * functions ran; every `checkEveryMs` the marked ones with an auto-rollback canary are judged from the
 * stored records (every node's, so the cluster's). Every node judges what it ran; the rollback itself is
 * conditional on the canary still being there, so it happens, and is recorded, once cluster-wide.
 */
export class AutoRollbackWatch {
  #dirty = new Set<string>();
  #timer: NodeJS.Timeout;
  #running: Promise<void> | undefined;
  readonly #now: () => number;

  constructor(
    activations: { on(event: "activation", listener: (a: Activation) => void): unknown },
    private readonly deps: {
      catalog: Catalog;
      stats: Pick<ActivationRepository, "versionStats">;
      rollouts: Rollouts;
      /** Writes pending records first, so the judgement counts what just ran. */
      flush: () => Promise<void>;
      log: Pick<Logger, "error">;
    },
    options: AutoRollbackOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    activations.on("activation", (a) => {
      if (a.status !== "queued" && a.status !== "running" && this.#dirty.size < 10_000)
        this.#dirty.add(`${a.account}/${a.function}`);
    });
    this.#timer = setInterval(() => void this.check(), options.checkEveryMs ?? 500);
    this.#timer.unref();
  }

  /** Judges every function marked since the last check (also called by the timer). */
  check(): Promise<void> {
    this.#running ??= this.#checkMarked().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #checkMarked(): Promise<void> {
    if (this.#dirty.size === 0) return;
    const marked = [...this.#dirty];
    this.#dirty.clear();
    const watched: FunctionRecord[] = [];
    for (const key of marked) {
      const [account, name] = key.split("/") as [string, string];
      const fn = await this.deps.catalog.function(account, name).catch(() => undefined);
      if (fn?.canary?.autoRollback) watched.push(fn);
    }
    if (watched.length === 0) return;
    await this.deps.flush();
    for (const fn of watched) {
      try {
        await this.judge(fn);
      } catch (err) {
        this.deps.log.error({ err, function: `${fn.account}/${fn.name}` }, "judging a canary failed");
      }
    }
  }

  async judge(fn: FunctionRecord): Promise<void> {
    const canary = fn.canary;
    if (!canary?.autoRollback || fn.deployedVersion === null) return;
    const policy = canary.autoRollback;
    const since = Math.max(canary.since, this.#now() - policy.windowMs);
    const stats = await this.deps.stats.versionStats({ account: fn.account, function: fn.name, since });
    const ours = rate(stats.find((s) => s.version === canary.version));
    if (ours.ran < policy.minInvocations) return;
    const stable = rate(stats.find((s) => s.version === fn.deployedVersion));
    if (ours.rate - stable.rate <= policy.maxErrorRate) return;
    const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
    const reason =
      `auto-rollback: canary version ${canary.version} failed ${ours.failed} of ${ours.ran} invocations ` +
      `(${pct(ours.rate)}) since ${new Date(since).toISOString()}, against ${pct(stable.rate)} for ` +
      `version ${fn.deployedVersion}: more than the allowed ${pct(policy.maxErrorRate)} above it`;
    await this.deps.rollouts.rollback(fn.account, fn.name, {
      actor: "system",
      reason,
      expect: canary.version,
      detail: {
        deployed: fn.deployedVersion,
        canaryErrorRate: ours.rate,
        deployedErrorRate: stable.rate,
        canaryInvocations: ours.ran,
        policy: { ...policy },
      },
    });
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    return this.#running ?? Promise.resolve();
  }
}

function rate(stats: VersionStats | undefined): { ran: number; failed: number; rate: number } {
  if (!stats) return { ran: 0, failed: 0, rate: 0 };
  const ran = stats.invocations - (stats.byStatus.rejected ?? 0) - (stats.byStatus.platform_error ?? 0);
  const failed = FAILED.reduce((n, status) => n + (stats.byStatus[status] ?? 0), 0);
  return { ran, failed, rate: ran > 0 ? failed / ran : 0 };
}
