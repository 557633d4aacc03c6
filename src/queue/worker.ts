import type { Logger } from "pino";
import type { OutboundOptions } from "../security/outbound/address-guard.js";
import type { QueueSettings } from "../config.js";
import type { ErrorCode } from "../errors.js";
import type { ActivationLog } from "../dispatcher/activation-log.js";
import type { Dispatcher } from "../dispatcher/dispatcher.js";
import type { Catalog } from "../functions/catalog.js";
import { timeId } from "../ids.js";
import type { Activation } from "../model/activation.js";
import type { VersionRecord } from "../model/function.js";
import { isRetryable } from "../outcomes.js";
import { backoffMs } from "./backoff.js";
import { CallbackSender } from "./callbacks.js";
import type { ClaimedJob, JobQueue, Settlement } from "../model/job.js";
import { blankActivation, withCallback } from "./records.js";

/**
 * A node claims no more than it can start soon: a batch at a time, and none while jobs it holds wait for
 * their function's pool (they would only wait here, and a node that dies strands what it holds).
 */
const CLAIM_BATCH = 64;
const MAX_WAITING = 16;
const THROTTLED_DELAY_MS = 200;
/** Refusals that pass by themselves (a full pool, the node's isolate memory, the account's concurrency). */
const TRANSIENT = new Set<ErrorCode>([
  "RUNLET_ERR_THROTTLED",
  "RUNLET_ERR_MEMORY_BUDGET",
  "RUNLET_ERR_QUOTA_CONCURRENCY",
  // This node's activation log is full (its database is slow or down): another node, or this one later.
  "RUNLET_ERR_UNAVAILABLE",
]);
/** How long close() waits for runs in flight; those still going run again elsewhere once their lease ends. */
const DRAIN_MS = 5000;
const RUNNING_AFTER_MS = 100;
const SETTLE_EVERY_MS = 20;

export interface WorkerDeps {
  queue: JobQueue;
  catalog: Catalog;
  dispatcher: Dispatcher;
  activations: ActivationLog;
  settings: QueueSettings;
  log: Logger;
  /** Test hooks for the callback's address guard (a local receiver). */
  outbound?: OutboundOptions;
}

/**
 * Runs queued jobs: claims due ones under a lease (renewed while they run), runs each through the
 * dispatcher, and settles outcomes in batches — after their activation records are stored, so a crash
 * between the two re-runs the job rather than losing its result.
 */
export class QueueWorker {
  readonly owner = timeId("wrk_");
  readonly #held = new Map<string, ClaimedJob>();
  readonly #waiting = new Map<string, ClaimedJob[]>();
  readonly #running = new Map<string, number>();
  readonly #tasks = new Set<Promise<void>>();
  #settlements: Settlement[] = [];
  #settling: Promise<void> = Promise.resolve();
  #settleScheduled = false;
  #claiming = false;
  #again = false;
  #backlog = false;
  #closed = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #leaseTimer: NodeJS.Timeout | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  /** Runs in progress whose `running` record is not written yet. */
  readonly #started = new Map<string, { job: ClaimedJob; version: VersionRecord | undefined; at: number }>();

  readonly #callbacks: CallbackSender;

  constructor(private readonly deps: WorkerDeps) {
    this.#callbacks = new CallbackSender(deps.settings.callbackTimeoutMs, deps.outbound);
  }

  start(): void {
    const { settings } = this.deps;
    this.#leaseTimer = setInterval(() => void this.#extendLeases(), Math.max(50, settings.leaseMs / 3));
    this.#leaseTimer.unref();
    this.#pruneTimer = setInterval(() => void this.#prune(), 600_000);
    this.#pruneTimer.unref();
    this.#heartbeatTimer = setInterval(() => void this.#heartbeat(), settings.heartbeatMs);
    this.#heartbeatTimer.unref();
    void this.#heartbeat();
    void this.#prune();
    this.wake();
  }

  /** Alive for `deadAfterMs` more: if this node stops (killed), its jobs run elsewhere then. */
  async #heartbeat(): Promise<void> {
    const now = Date.now();
    try {
      await this.deps.queue.heartbeat(this.owner, now, now + this.deps.settings.deadAfterMs);
    } catch (err) {
      this.deps.log.error({ err }, "the node's heartbeat failed; other nodes may take its jobs");
    }
  }

  /** Look for due jobs now (a submission was just stored). */
  wake(): void {
    if (this.#closed) return;
    if (this.#claiming) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#pollTimer);
    this.#pollTimer = setTimeout(() => void this.#claim(), 0);
  }

  /** Stops claiming, hands back jobs not started, waits for runs in flight and stores their outcomes. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#pollTimer);
    clearInterval(this.#leaseTimer);
    clearInterval(this.#pruneTimer);
    clearTimeout(this.#sweepTimer);
    clearInterval(this.#heartbeatTimer);
    const now = Date.now();
    for (const jobs of this.#waiting.values()) {
      for (const job of jobs)
        this.#settle({ id: job.id, kind: "retry", at: now, attempts: job.attempts - 1 });
    }
    this.#waiting.clear();
    const until = Date.now() + DRAIN_MS;
    while (this.#tasks.size > 0 && Date.now() < until) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.#tasks]),
        new Promise((resolve) => (timer = setTimeout(resolve, until - Date.now()))),
      ]);
      clearTimeout(timer);
    }
    await this.#flushSettlements();
    // Stopped: what is still held (runs that outlived the drain) is for other nodes now.
    await this.deps.queue.heartbeat(this.owner, Date.now(), Date.now()).catch(() => {});
  }

  async #claim(): Promise<void> {
    if (this.#closed) return;
    this.#claiming = true;
    this.#again = false;
    const { queue, settings, log, activations } = this.deps;
    try {
      // Claim nothing while the activation log is full: the jobs would only wait here.
      await activations.room();
      let waiting = 0;
      for (const jobs of this.#waiting.values()) waiting += jobs.length;
      const room = waiting >= MAX_WAITING ? 0 : Math.min(CLAIM_BATCH, settings.concurrency - this.#held.size);
      this.#backlog = false;
      if (room > 0) {
        const jobs = await queue.claim(this.owner, room, settings.leaseMs, Date.now());
        this.#backlog = jobs.length === room;
        for (const job of jobs) {
          this.#held.set(job.id, job);
          this.#track(job.phase === "run" ? this.#run(job) : this.#deliver(job));
        }
      } else this.#backlog = waiting < MAX_WAITING; // held jobs waiting for their pool: poll, do not spin
    } catch (err) {
      log.error({ err }, "claiming queued jobs failed; will retry");
    } finally {
      this.#claiming = false;
    }
    if (this.#closed) return;
    if (this.#again || (this.#backlog && this.#held.size < settings.concurrency)) this.wake();
    else this.#pollTimer = setTimeout(() => void this.#claim(), settings.pollMs);
  }

  #track(task: Promise<void>): void {
    const tracked = task.catch((err: unknown) => this.deps.log.error({ err }, "queued job failed"));
    this.#tasks.add(tracked);
    void tracked.finally(() => this.#tasks.delete(tracked));
  }

  /** Runs a job unless its function already has as many in flight as its pool can take; then it waits. */
  async #run(job: ClaimedJob): Promise<void> {
    const { catalog } = this.deps;
    const { account, function: name } = job.invocation;
    const fn = await catalog.function(account, name);
    const version =
      fn?.deployedVersion != null ? await catalog.version(account, name, fn.deployedVersion) : undefined;
    const key = `${account}/${name}`;
    const cap = version ? version.config.maxInstances * version.config.concurrency * 2 : 64;
    const running = this.#running.get(key) ?? 0;
    if (running >= cap) {
      const waiting = this.#waiting.get(key) ?? [];
      waiting.push(job);
      this.#waiting.set(key, waiting);
      return;
    }
    this.#running.set(key, running + 1);
    try {
      await this.#execute(job, version);
    } finally {
      this.#running.set(key, (this.#running.get(key) ?? 1) - 1);
      const next = this.#waiting.get(key)?.shift();
      if (next && !this.#closed) this.#track(this.#run(next));
    }
  }

  async #execute(job: ClaimedJob, version: VersionRecord | undefined): Promise<void> {
    const { dispatcher, activations } = this.deps;
    this.#started.set(job.id, { job, version, at: Date.now() });
    this.#sweepTimer ??= setTimeout(() => this.#showRunning(), RUNNING_AFTER_MS);
    // A function or version deleted since it was queued ends as a rejected activation, like any refusal.
    const { outcome, activation } = await dispatcher.invoke({
      kind: "async",
      id: job.id,
      attempts: job.attempts,
      queuedAt: job.createdAt,
      run: job.invocation,
    });
    this.#started.delete(job.id);
    const now = Date.now();
    if (outcome.status === "rejected" && TRANSIENT.has(outcome.code)) {
      // Refused for now (a full pool, say): not the function's fault, so the run does not count.
      activations.record(withCallback(job, { ...activation, status: "queued", attempts: job.attempts - 1 }));
      this.#settle({ id: job.id, kind: "retry", at: now + THROTTLED_DELAY_MS, attempts: job.attempts - 1 });
      return;
    }
    const retry = version?.config.retry ?? { attempts: 3, initialDelayMs: 1000 };
    const maxAttempts = job.maxAttempts ?? retry.attempts;
    const failed = isRetryable(outcome.status);
    if (failed && job.attempts < maxAttempts) {
      activations.record(withCallback(job, { ...activation, status: "queued" }));
      const at = now + backoffMs(retry.initialDelayMs, job.attempts);
      this.#settle({ id: job.id, kind: "retry", at, error: activation.error });
      return;
    }
    this.#finish(job, activation, failed);
  }

  /** The run is over for good: record it, then deliver its callback or settle it (dead-lettered if failed). */
  #finish(job: ClaimedJob, activation: Activation, dead: boolean): void {
    const now = Date.now();
    this.deps.activations.record(withCallback(job, activation));
    if (job.callbackUrl) {
      this.#settle({ id: job.id, kind: "callback", at: now, callbackAttempts: 0, deadLetter: dead });
      this.wake();
    } else if (dead) this.#settle({ id: job.id, kind: "dead", at: now, error: activation.error });
    else this.#settle({ id: job.id, kind: "done" });
  }

  async #deliver(job: ClaimedJob): Promise<void> {
    const { activations, settings } = this.deps;
    const activation = await activations.get(job.invocation.account, job.id);
    const url = job.callbackUrl;
    if (!activation || !url) {
      this.#settle(
        job.deadLetter ? { id: job.id, kind: "dead", at: Date.now() } : { id: job.id, kind: "done" },
      );
      return;
    }
    const failure = await this.#callbacks.deliver(url, activation);
    const attempts = job.callbackAttempts + 1;
    const now = Date.now();
    const callback = { url, attempts };
    if (failure === undefined) {
      activations.record({ ...activation, callback: { ...callback, status: "delivered", deliveredAt: now } });
    } else if (attempts < settings.callbackAttempts && !failure.permanent) {
      activations.record({
        ...activation,
        callback: { ...callback, status: "pending", lastError: failure.reason },
      });
      const at = now + backoffMs(settings.callbackRetryMs, attempts);
      this.#settle({
        id: job.id,
        kind: "callback",
        at,
        callbackAttempts: attempts,
        deadLetter: job.deadLetter,
      });
      return;
    } else {
      activations.record({
        ...activation,
        callback: { ...callback, status: "failed", lastError: failure.reason },
      });
    }
    this.#settle(job.deadLetter ? { id: job.id, kind: "dead", at: now } : { id: job.id, kind: "done" });
  }

  /**
   * Records `running` for runs that have gone on for a moment: a run that ends sooner goes from queued
   * to its final record directly, saving a write per invocation on the hot path.
   */
  #showRunning(): void {
    this.#sweepTimer = undefined;
    const due = Date.now() - RUNNING_AFTER_MS;
    for (const [id, run] of this.#started) {
      if (run.at > due) continue;
      this.#started.delete(id);
      this.deps.activations.record(
        withCallback(run.job, {
          ...blankActivation(run.job, "running", run.at),
          version: run.version?.version ?? 0,
          memoryMb: run.version?.config.memoryMb ?? 0,
        }),
      );
    }
    if (this.#started.size > 0) this.#sweepTimer = setTimeout(() => this.#showRunning(), RUNNING_AFTER_MS);
  }

  #settle(settlement: Settlement): void {
    this.#settlements.push(settlement);
    if (this.#settleScheduled) return;
    this.#settleScheduled = true;
    // Gathered for as long as activation records are (ActivationLog writes every 20 ms): each settle first
    // flushes those records, then commits, so fewer, larger batches cost less.
    setTimeout(() => void this.#flushSettlements(), SETTLE_EVERY_MS);
  }

  /** Stores the batch's activation records first, then its settlements, in one commit. */
  #flushSettlements(): Promise<void> {
    this.#settleScheduled = false;
    const batch = this.#settlements;
    if (batch.length === 0) return this.#settling;
    this.#settlements = [];
    const { queue, activations, log } = this.deps;
    this.#settling = this.#settling
      .then(async () => {
        await activations.flush();
        await queue.settle(batch);
      })
      .then(
        () => {
          for (const s of batch) this.#held.delete(s.id);
          if (this.#backlog || batch.some((s) => s.kind !== "done")) this.wake();
        },
        (err: unknown) => {
          log.error({ err }, "settling queued jobs failed; will retry");
          this.#settlements.unshift(...batch);
          if (!this.#closed) setTimeout(() => void this.#flushSettlements(), 500).unref();
        },
      );
    return this.#settling;
  }

  async #extendLeases(): Promise<void> {
    if (this.#held.size === 0) return;
    try {
      await this.deps.queue.extend(
        this.owner,
        [...this.#held.keys()],
        Date.now() + this.deps.settings.leaseMs,
      );
    } catch (err) {
      this.deps.log.error({ err }, "renewing job leases failed");
    }
  }

  async #prune(): Promise<void> {
    try {
      await this.deps.queue.pruneKeys(Date.now() - this.deps.settings.idempotencyTtlMs);
    } catch (err) {
      this.deps.log.error({ err }, "pruning idempotency keys failed");
    }
  }
}
