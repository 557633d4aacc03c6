import { RunletError } from "../errors.js";
import type { InstanceHandle } from "../runtime/instance-handle.js";

export interface PoolSettings {
  /** In-flight invocations one instance may hold at once. */
  concurrency: number;
  minInstances: number;
  maxInstances: number;
  idleTimeoutMs: number;
  /** Requests that may wait for a free slot once maxInstances are busy. */
  queueLimit: number;
  /** How long one may wait before it is refused with 429. */
  queueTimeoutMs: number;
}

export interface Lease {
  instance: InstanceHandle;
  /** The invocation waited for this instance to start. */
  coldStart: boolean;
}

interface Waiter {
  since: number;
  resolve(lease: Lease): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * The warm instances of one deployed version: hands out slots (instance × concurrency), starts instances
 * up to maxInstances when all are busy, queues briefly beyond that, disposes idle ones (scale to zero).
 */
export class Pool {
  readonly instances: InstanceHandle[] = [];
  #born = new WeakMap<InstanceHandle, number>();
  #starting = 0;
  #waiters: Waiter[] = [];
  #draining = false;

  constructor(
    readonly key: string,
    readonly settings: PoolSettings,
    private readonly start: () => Promise<InstanceHandle>,
    private readonly onStartError: (err: unknown) => void = () => {},
  ) {}

  get starting(): number {
    return this.#starting;
  }
  get waiting(): number {
    return this.#waiters.length;
  }
  get busy(): number {
    return this.instances.filter((i) => i.inFlight > 0).length;
  }

  /** A slot on a warm instance, or on one started for this request; 429 when none frees up in time. */
  acquire(): Promise<Lease> {
    if (this.#draining)
      return Promise.reject(new RunletError("RUNLET_ERR_UNAVAILABLE", `${this.key} is being replaced`));
    const free = this.freeInstance();
    if (free) {
      free.admit();
      return Promise.resolve({ instance: free, coldStart: false });
    }
    if (this.#waiters.length >= this.settings.queueLimit) return Promise.reject(this.throttled());
    return new Promise<Lease>((resolve, reject) => {
      const waiter: Waiter = {
        since: performance.now(),
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(this.throttled());
        }, this.settings.queueTimeoutMs),
      };
      this.#waiters.push(waiter);
      this.grow();
    });
  }

  /** Gives the slot back (the instance's own counter tracks invocations in flight). */
  release(instance: InstanceHandle): void {
    instance.vacate();
    if (!instance.alive) this.remove(instance);
    if (this.#draining) {
      if (instance.inFlight === 0) this.remove(instance);
      return;
    }
    this.dispatch();
    this.grow();
  }

  /** Adds an instance started elsewhere (the one validated at deploy, or a prewarm). */
  adopt(instance: InstanceHandle): void {
    if (this.#draining || this.instances.length >= this.settings.maxInstances) {
      instance.dispose();
      return;
    }
    this.#born.set(instance, 0);
    this.instances.push(instance);
    this.dispatch();
  }

  /** Starts instances until minInstances are warm. */
  async prewarm(): Promise<void> {
    const missing = this.settings.minInstances - this.instances.length - this.#starting;
    await Promise.all(Array.from({ length: Math.max(0, missing) }, () => this.startOne()));
  }

  /** Disposes instances idle past idleTimeoutMs, least recently used first, keeping minInstances. */
  reap(now = Date.now()): number {
    const idle = this.instances
      .filter((i) => i.inFlight === 0 && now - i.lastUsed >= this.settings.idleTimeoutMs)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    const removable = Math.max(0, this.instances.length - this.settings.minInstances);
    const victims = idle.slice(0, removable);
    for (const instance of victims) this.remove(instance);
    return victims.length;
  }

  /** Idle instances that memory pressure may take, least recently used first; minInstances stay. */
  evictable(): InstanceHandle[] {
    const keep = this.#draining ? 0 : this.settings.minInstances;
    const idle = this.instances.filter((i) => i.inFlight === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    return idle.slice(0, Math.max(0, this.instances.length - keep));
  }

  /** Disposes an idle instance to free memory for another pool. */
  evict(instance: InstanceHandle): void {
    if (instance.inFlight === 0) this.remove(instance);
  }

  /** Stops taking work; in-flight invocations finish, then every instance is disposed. */
  drain(): void {
    this.#draining = true;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(
        new RunletError("RUNLET_ERR_UNAVAILABLE", `${this.key} was replaced while the request waited; retry`),
      );
    }
    for (const instance of [...this.instances]) if (instance.inFlight === 0) this.remove(instance);
  }

  get drained(): boolean {
    return this.#draining && this.instances.length === 0;
  }

  private freeInstance(): InstanceHandle | undefined {
    let best: InstanceHandle | undefined;
    for (const instance of this.instances) {
      // Pack work onto the busiest instance that has room, so the others go idle and can be reaped.
      if (
        instance.accepting &&
        instance.inFlight < this.settings.concurrency &&
        (!best || instance.inFlight > best.inFlight)
      ) {
        best = instance;
      }
    }
    return best;
  }

  private dispatch(): void {
    while (this.#waiters.length > 0) {
      const instance = this.freeInstance();
      if (!instance) return;
      const waiter = this.#waiters.shift()!;
      clearTimeout(waiter.timer);
      instance.admit();
      waiter.resolve({ instance, coldStart: (this.#born.get(instance) ?? 0) > waiter.since });
    }
  }

  private grow(): void {
    const capacity = (this.instances.length + this.#starting) * this.settings.concurrency;
    const demand = this.#waiters.length + this.instances.reduce((sum, i) => sum + i.inFlight, 0);
    if (demand > capacity && this.instances.length + this.#starting < this.settings.maxInstances) {
      void this.startOne();
    }
  }

  private async startOne(): Promise<void> {
    this.#starting += 1;
    try {
      const instance = await this.start();
      this.#starting -= 1;
      if (this.#draining) return instance.dispose();
      this.#born.set(instance, performance.now());
      this.instances.push(instance);
      this.dispatch();
      this.grow();
    } catch (err) {
      this.#starting -= 1;
      // Out of node memory: waiters can still be served by this pool's busy instances as they free up;
      // with none, each waiter is refused now rather than after the queue timeout.
      const outOfMemory = err instanceof RunletError && err.code === "RUNLET_ERR_MEMORY_BUDGET";
      if (!outOfMemory) this.onStartError(err);
      if (outOfMemory && this.instances.length > 0) return;
      const waiter = this.#waiters.shift();
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter.reject(err);
      }
      if (outOfMemory) this.grow();
    }
  }

  private remove(instance: InstanceHandle): void {
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
    instance.dispose();
  }

  private throttled(): RunletError {
    const retryAfter = Math.max(1, Math.ceil(this.settings.queueTimeoutMs / 1000));
    return new RunletError(
      "RUNLET_ERR_THROTTLED",
      `${this.key} is at maxInstances (${this.settings.maxInstances}) × concurrency (${this.settings.concurrency}) with ${this.#waiters.length} waiting`,
      { headers: { "retry-after": String(retryAfter) } },
    );
  }
}
