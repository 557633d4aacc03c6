import { RunletError } from "../errors.js";
import type { Instance } from "../runtime/instance.js";
import type { Pool } from "./pool.js";

const MiB = 1024 * 1024;

/**
 * What a new instance is expected to take until it is measured: a moving average of idle instances'
 * measurements (shared by every budget in the process, as the isolates share its memory). Only idle,
 * used instances are sampled: right after start an isolate still holds the garbage of loading the module
 * (5-10 MB until its first GC), which would overstate every start.
 */
let freshEstimate = 1.5 * MiB;

/**
 * One memory budget for every isolate on the node. It counts what the isolates actually hold (their
 * last measured footprint: resident V8 heap pages, V8's malloc'd memory, ArrayBuffers), not their
 * `memoryMb` limits: a limit is a ceiling most functions never approach (a small function holds about
 * 1 MB under a 128 MB limit), so counting limits would keep 8 warm functions per GiB instead of ~900.
 * The price is that a budget is a target, not a hard cap: an instance may grow after it was admitted
 * (each one is still capped by its own `memoryMb`).
 *
 * Before an instance starts, room is made by disposing the least recently used idle instances across
 * every pool; minInstances are never evicted (they are the function's reserved warm capacity). If busy
 * or reserved instances fill the budget, the start is refused with RUNLET_ERR_MEMORY_BUDGET (429).
 */
export class MemoryBudget {
  #starting = 0;
  evictions = 0;

  constructor(
    readonly limitBytes: number,
    private readonly pools: () => Iterable<Pool>,
  ) {}

  /** Bytes held by every warm instance plus those being started. */
  inUse(): number {
    let used = this.#starting;
    for (const pool of this.pools()) for (const instance of pool.instances) used += this.sizeOf(instance);
    return used;
  }

  /**
   * Makes room for one more instance, evicting idle ones if needed; returns the function that gives the
   * reservation back once the instance is running (then its own measurement counts) or failed to start.
   */
  reserve(key: string): () => void {
    const need = freshEstimate;
    let used = this.inUse();
    if (used + need > this.limitBytes) {
      for (const { pool, instance } of this.idleOldestFirst()) {
        used -= this.sizeOf(instance);
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

  /** Measures an idle instance; it counts at that size, and moves the estimate for the next start. */
  async sample(instance: Instance): Promise<void> {
    const bytes = await instance.measure();
    if (bytes > 0) freshEstimate = 0.8 * freshEstimate + 0.2 * bytes;
  }

  private sizeOf(instance: Instance): number {
    return instance.footprintBytes || freshEstimate;
  }

  private idleOldestFirst(): { pool: Pool; instance: Instance }[] {
    const candidates: { pool: Pool; instance: Instance }[] = [];
    for (const pool of this.pools())
      for (const instance of pool.evictable()) candidates.push({ pool, instance });
    return candidates.sort((a, b) => a.instance.lastUsed - b.instance.lastUsed);
  }
}

function mb(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}
