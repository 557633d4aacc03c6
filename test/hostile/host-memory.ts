/** What the host process (the server: tests run it in-process) grew by while `work` ran. */
export interface HostGrowth {
  /** Peak of the host's own V8 heap plus memory outside it that JS objects hold (ArrayBuffers), in MiB. */
  heapMiB: number;
  /** Peak resident set, isolates included, in MiB. */
  rssMiB: number;
}

const MiB = 1024 * 1024;

/**
 * Runs `work` while sampling process.memoryUsage() every few milliseconds, and reports the peak growth
 * over the figures from just before. The samples run between host event-loop turns, so a copy that stays
 * on the host heap until the next GC is seen.
 */
export async function hostGrowth<T>(work: () => Promise<T>): Promise<T & { growth: HostGrowth }> {
  const base = process.memoryUsage();
  let heap = 0;
  let rss = 0;
  const sample = () => {
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed + now.external - base.heapUsed - base.external);
    rss = Math.max(rss, now.rss - base.rss);
  };
  const timer = setInterval(sample, 2);
  try {
    const result = await work();
    sample();
    return Object.assign(result as object, {
      growth: { heapMiB: Math.round(heap / MiB), rssMiB: Math.round(rss / MiB) },
    }) as T & { growth: HostGrowth };
  } finally {
    clearInterval(timer);
  }
}
