import type { Limits } from "../config.js";
import type { HostOps } from "../runtime/host-ops.js";
import { Instance, type CodeCache, type InstanceOptions } from "../runtime/instance.js";
import type { InstanceHandle } from "../runtime/instance-handle.js";
import { capBackingStores } from "../runtime/ivm.js";
import { SparePool } from "../runtime/spares.js";
import type { VersionRecord } from "../model/function.js";
import { MemoryBudget } from "./memory-budget.js";
import { Pool, type Lease } from "./pool.js";
import { Quarantine, type QuarantineSettings } from "./quarantine.js";

/**
 * Starts an instance of a version: Instance.start by default; `runlet dev --inspect` starts it in a child
 * process open to a debugger (runtime/inspector/remote-instance.ts).
 */
export type InstanceStarter = (options: InstanceOptions, version: VersionRecord) => Promise<InstanceHandle>;

/** How pools, logs and metrics name a version (not unique over time: see VersionRecord.id). */
export function versionKey(account: string, name: string, version: number): string {
  return `${account}/${name}@${version}`;
}

/**
 * Keeps one Pool per deployed version, starts instances through the runtime, and reaps idle ones.
 * Old versions' pools are drained (in-flight work finishes) when a function is redeployed or removed.
 * Pools and code caches are keyed by the version's id, never reused, so a function deleted and created
 * again (version 1 again, other code) never reaches an instance of the old one.
 */
export class Scheduler {
  /** By VersionRecord.id. */
  #pools = new Map<string, Pool>();
  /** By VersionRecord.id. */
  #caches = new Map<string, CodeCache>();
  /** Pools being drained, with their version id. */
  #draining = new Map<Pool, string>();
  /** Leases handed out and not yet released, and who waits for them all to come back (close). */
  #leases = 0;
  #idle: (() => void)[] = [];
  #reaper: NodeJS.Timeout;
  /** Every isolate on the node shares it: see memory-budget.ts for what is counted and evicted. */
  readonly memory: MemoryBudget;
  /** Isolates with the prelude ready, made ahead on idle turns so a cold start only loads the module. */
  readonly spares = new SparePool();
  /** Instances started since the node started (cold starts, prewarms and deploy-time validations). */
  instancesStarted = 0;
  /**
   * Isolates V8 lost control of (a fatal out-of-memory inside V8 itself). Their threads never finish, so
   * such a process cannot exit normally: its owner must end it hard (src/main.ts).
   */
  lostIsolates = 0;
  /** Versions refused after repeated fatal out-of-memory errors (quarantine.ts). */
  readonly quarantine: Quarantine;

  private readonly onError: (err: unknown, key: string) => void;
  private readonly ops: HostOps | undefined;
  private readonly onQuarantine: (key: string) => void;
  private readonly start: InstanceStarter;

  constructor(
    private readonly limits: Limits,
    options: {
      onError?: (err: unknown, key: string) => void;
      reapEveryMs?: number;
      /** Host operations instances may call (ctx.invoke, secrets, kv, fetch). */
      ops?: HostOps;
      quarantine?: QuarantineSettings;
      /** A version was quarantined (for the log). */
      onQuarantine?: (key: string) => void;
      /** How instances start (default: an isolate in this process). */
      start?: InstanceStarter;
    } = {},
  ) {
    capBackingStores(limits.maxMemoryMb);
    this.onError = options.onError ?? (() => {});
    this.ops = options.ops;
    this.quarantine = new Quarantine(options.quarantine);
    this.onQuarantine = options.onQuarantine ?? (() => {});
    this.start = options.start ?? ((instanceOptions) => Instance.start(instanceOptions));
    this.memory = new MemoryBudget(
      limits.isolateMemoryMb * 1024 * 1024,
      () => this.allPools(),
      () => this.spares.floorBytes(),
    );
    this.#reaper = setInterval(() => this.reap(), options.reapEveryMs ?? 1000);
    this.#reaper.unref();
  }

  async acquire(version: VersionRecord): Promise<Lease> {
    this.quarantine.check(version.id, versionKey(version.account, version.function, version.version));
    const lease = await this.poolFor(version).acquire();
    this.#leases += 1;
    return lease;
  }

  release(version: VersionRecord, lease: Lease): void {
    const key = versionKey(version.account, version.function, version.version);
    const pool = this.#pools.get(version.id) ?? [...this.#draining].find(([, id]) => id === version.id)?.[0];
    this.#leases -= 1;
    if (this.#leases === 0) for (const settled of this.#idle.splice(0)) settled();
    if (pool) pool.release(lease.instance);
    else lease.instance.dispose();
    this.collectDrained();
    // Re-measure now and then while idle: the budget counts what instances hold after they ran.
    const instance = lease.instance;
    if (instance.inFlight === 0 && instance.alive && Date.now() - instance.measuredAt > 1000) {
      void this.memory.sample(key, instance, true);
    }
  }

  /**
   * Starts an instance of the version outside any pool (deploy-time validation, local runs), within the
   * node's memory budget: idle instances of other functions may be evicted to make room.
   */
  async startInstance(version: VersionRecord): Promise<InstanceHandle> {
    const key = versionKey(version.account, version.function, version.version);
    const unreserve = this.memory.reserve(key);
    try {
      const instance = await this.boot(version);
      this.instancesStarted += 1;
      // Counted at its own size from the start, measured again once idle after use (see release).
      void this.memory.sample(key, instance, false);
      return instance;
    } finally {
      unreserve();
    }
  }

  private boot(version: VersionRecord): Promise<InstanceHandle> {
    let cache = this.#caches.get(version.id);
    if (!cache) this.#caches.set(version.id, (cache = {}));
    const options: InstanceOptions = {
      code: version.code,
      account: version.account,
      name: version.function,
      version: version.version,
      env: version.config.env,
      memoryMb: version.config.memoryMb,
      logLines: this.limits.logLines,
      logBytes: this.limits.logBytes,
      responseBytes: this.limits.responseBytes,
      codeCache: cache,
      spares: this.spares,
      onLost: () => {
        this.lostIsolates += 1;
        if (this.quarantine.record(version.id))
          this.onQuarantine(versionKey(version.account, version.function, version.version));
      },
      ...(this.ops ? { ops: this.ops } : {}),
    };
    return this.start(options, version);
  }

  /** Makes `version` the function's live pool: drains the others, adopts `warm`, prewarms minInstances. */
  async activate(version: VersionRecord, warm?: InstanceHandle): Promise<void> {
    this.retire(version.account, version.function, version.id);
    const pool = this.poolFor(version);
    if (warm) pool.adopt(warm);
    await pool.prewarm();
  }

  /** Drains every pool of the function except those of the version ids in `keep` (a canary's too). */
  retire(account: string, name: string, ...keep: (string | undefined)[]): void {
    const prefix = `${account}/${name}@`;
    for (const [id, pool] of this.#pools) {
      if (!pool.key.startsWith(prefix) || keep.includes(id)) continue;
      this.#pools.delete(id);
      this.#caches.delete(id);
      this.memory.forget(pool.key);
      this.quarantine.forget(id);
      pool.drain();
      this.#draining.set(pool, id);
    }
    this.collectDrained();
  }

  hasPool(versionId: string): boolean {
    return this.#pools.has(versionId);
  }

  /** True when some version of the function has an instance here. */
  isWarm(account: string, name: string): boolean {
    const prefix = `${account}/${name}@`;
    for (const pool of this.#pools.values())
      if (pool.key.startsWith(prefix) && pool.instances.length > 0) return true;
    return false;
  }

  pools(): Pool[] {
    return [...this.#pools.values()];
  }

  /** Live and draining pools: both hold isolates that count against the memory budget. */
  private *allPools(): Iterable<Pool> {
    yield* this.#pools.values();
    yield* this.#draining.keys();
  }

  reap(now = Date.now()): void {
    for (const pool of this.#pools.values()) pool.reap(now);
    this.collectDrained();
  }

  /**
   * Stops every pool and waits for the invocations in flight to finish (their records must be written
   * before the store closes), at most `graceMs`: then the instances still busy are disposed, which
   * ends their invocations as failed, so a shutdown never waits on tenant code.
   */
  async close(graceMs = 10_000): Promise<void> {
    clearInterval(this.#reaper);
    const pools = [...this.allPools()];
    for (const pool of this.#pools.values()) pool.drain();
    this.#pools.clear();
    if (this.#leases > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.#idle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    for (const pool of pools)
      for (const instance of [...pool.instances])
        instance.stop({
          status: "platform_error",
          code: "RUNLET_ERR_UNAVAILABLE",
          message: "the server shut down while the invocation ran; retry",
        });
    this.spares.dispose();
    // Disposed instances fail what ran on them at once; give those invocations their turn to settle.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private poolFor(version: VersionRecord): Pool {
    const key = versionKey(version.account, version.function, version.version);
    let pool = this.#pools.get(version.id);
    if (!pool) {
      const config = version.config;
      pool = new Pool(
        key,
        {
          concurrency: config.concurrency,
          minInstances: config.minInstances,
          maxInstances: config.maxInstances,
          idleTimeoutMs: config.idleTimeoutMs,
          queueLimit: Math.max(64, config.maxInstances * config.concurrency * 4),
          queueTimeoutMs: Math.min(config.timeoutMs, 10_000),
        },
        () => this.startInstance(version),
        (err) => this.onError(err, key),
      );
      this.#pools.set(version.id, pool);
    }
    return pool;
  }

  private collectDrained(): void {
    for (const pool of this.#draining.keys()) if (pool.drained) this.#draining.delete(pool);
  }
}
