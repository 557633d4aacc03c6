import { FINAL_STATUSES, type FinalStatus } from "../outcomes.js";
import type { OutcomeBucket, OutcomeBucketsFilter } from "../store/records.js";
import type { ActivationRepository } from "../store/store.js";

/** One bucket of the stats API: every final status is present (0 when none). */
export interface StatsBucket extends Omit<OutcomeBucket, "byStatus"> {
  /** Exclusive; the last bucket ends at `to`. */
  end: number;
  byStatus: Record<FinalStatus, number>;
}

export interface StatsSeries {
  /** The whole range as one bucket: its p50/p99 are over all of it, not a mean of the buckets'. */
  total: StatsBucket;
  /** Every bucket of [from, to), oldest first, the empty ones too. */
  buckets: StatsBucket[];
}

/**
 * Invocation stats over time (GET …/stats) from the activation records, computed by the store in SQL.
 * Pending records are written first, so the counts include every invocation answered so far.
 */
export class ActivationStats {
  constructor(
    private readonly activations: Pick<ActivationRepository, "outcomeBuckets">,
    private readonly flush: () => Promise<void>,
  ) {}

  async series(filter: OutcomeBucketsFilter): Promise<StatsSeries> {
    await this.flush();
    const { from, to, bucketMs } = filter;
    const [found, whole] = await Promise.all([
      this.activations.outcomeBuckets(filter),
      this.activations.outcomeBuckets({ ...filter, bucketMs: to - from }),
    ]);
    const byStart = new Map(found.map((b) => [b.start, b]));
    const buckets = Array.from({ length: Math.ceil((to - from) / bucketMs) }, (_, i) => {
      const start = from + i * bucketMs;
      return filled(start, Math.min(to, start + bucketMs), byStart.get(start));
    });
    return { total: filled(from, to, whole[0]), buckets };
  }
}

function filled(start: number, end: number, found: OutcomeBucket | undefined): StatsBucket {
  const byStatus = Object.fromEntries(FINAL_STATUSES.map((s) => [s, found?.byStatus[s] ?? 0]));
  return {
    start,
    end,
    byStatus: byStatus as Record<FinalStatus, number>,
    invocations: found?.invocations ?? 0,
    coldStarts: found?.coldStarts ?? 0,
    throttled: found?.throttled ?? 0,
    p50Ms: found?.p50Ms ?? null,
    p99Ms: found?.p99Ms ?? null,
  };
}
