import { RunletError } from "../errors.js";
import type { InstanceHandle } from "../runtime/instance-handle.js";
import type { Pool } from "./pool.js";

const MiB = 1024 * 1024;

/**
 * One memory budget for every isolate on the node. It counts what the isolates actually hold (their
 * last measured footprint: resident V8 heap pages and ArrayBuffers), not their
 * `memoryMb` limits: a limit is a ceiling most functions never approach (a small function holds 1.5 MiB
 * on Node 20, 2.2-2.7 MiB on Node 22/24, under a 128 MiB limit), so counting limits would keep 8 warm
 * functions per GiB instead of hundreds. The price is that a budget is a target, not a hard cap: an
 * instance may grow after it was admitted (each one is still capped by its own `memoryMb`).
 *
 * Before an instance starts, room is made by disposing the least recently used idle instances across
 * every pool; minInstances are never evicted (they are the function's reserved warm capacity). If busy
 * or reserved instances fill the budget, the start is refused with RUNLET_ERR_MEMORY_BUDGET (429).
 *
 * Every figure is measured on the running V8, never assumed (footprints grow with each V8 line): an
 * instance counts as its own measurement (taken right after it starts, then again when idle after use);
 * until then, and for a start, as its version's last idle measurement, else the typical idle instance of
 * this node, and never less than the smallest possible instance (the prelude and an empty handler).
 */
export class MemoryBudget {
  #starting = 0;
  /** Idle measurements per version key: instances of one version are alike. */
  #byVersion = new Map<string, number>();
  /** A moving average of idle measurements across versions, for versions not measured yet. */
  #typical: number | undefined;
  evictions = 0;

  constructor(
    readonly limitBytes: number,
    private readonly pools: () => Iterable<Pool>,
    /** The smallest possible instance on this V8 (SparePool.floorBytes): no estimate is below it. */
    private readonly floorBytes: () => number,
  ) {}

  /** Bytes held by every warm instance plus those being started. */
  inUse(): number {
    let used = this.#starting;
    for (const pool of this.pools())
      for (const instance of pool.instances) used += this.sizeOf(pool.key, instance);
    return used;
  }

  /** What one more instance of `key` is expected to take until it is measured. */
  estimate(key: string): number {
    return Math.max(this.#byVersion.get(key) ?? this.#typical ?? 0, this.floorBytes());
  }

  /**
   * Makes room for one more instance, evicting idle ones if needed; returns the function that gives the
   * reservation back once the instance is running (then its own measurement counts) or failed to start.
   */
  reserve(key: string): () => void {
    const need = this.estimate(key);
    let used = this.inUse();
    if (used + need > this.limitBytes) {
      for (const { pool, instance } of this.idleOldestFirst()) {
        used -= this.sizeOf(pool.key, instance);
        pool.evict(instance);
        this.evictions += 1;
        if (used + need <= this.limitBytes) break;
      }
    }
    if (used + need > this.limitBytes) {
      throw new RunletError(
        "RUNLET_ERR_MEMORY_BUDGET",
        `cannot start another instance of ${key}: warm isolates hold ${mb(used)} MB of the node's ` +
          `${mb(this.limitBytes)} MB budget (RUNLET_ISOLATE_MEMORY_MB) and none is idle; retry shortly`,
        { headers: { "retry-after": "1" } },
      );
    }
    this.#starting += need;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#starting -= need;
    };
  }

  /**
   * Measures an instance: it counts at that size. Only idle measurements after use teach the estimates
   * for later starts (a just-started instance has not yet built what its invocations build).
   */
  async sample(key: string, instance: InstanceHandle, idle: boolean): Promise<void> {
    const bytes = await instance.measure();
    if (!idle || bytes <= 0) return;
    this.#byVersion.set(key, bytes);
    this.#typical = this.#typical === undefined ? bytes : 0.8 * this.#typical + 0.2 * bytes;
  }

  /** The version is gone: its estimate goes with it. */
  forget(key: string): void {
    this.#byVersion.delete(key);
  }

  private sizeOf(key: string, instance: InstanceHandle): number {
    return instance.footprintBytes || this.estimate(key);
  }

  private idleOldestFirst(): { pool: Pool; instance: InstanceHandle }[] {
    const candidates: { pool: Pool; instance: InstanceHandle }[] = [];
    for (const pool of this.pools())
      for (const instance of pool.evictable()) candidates.push({ pool, instance });
    return candidates.sort((a, b) => a.instance.lastUsed - b.instance.lastUsed);
  }
}

function mb(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}
