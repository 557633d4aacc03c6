import type { FunctionStats, StatsFilter } from "../records.js";
import type { RepositoryContext } from "./context.js";
import { outcomeBuckets } from "./outcome-buckets.js";

/** Counts by status and p50/p99 duration of one function's activations since a time: one bucket. */
export async function activationStats(ctx: RepositoryContext, filter: StatsFilter): Promise<FunctionStats> {
  const [all] = await outcomeBuckets(ctx, {
    account: filter.account,
    function: filter.function,
    from: filter.since,
    to: Number.MAX_SAFE_INTEGER,
    bucketMs: Number.MAX_SAFE_INTEGER,
  });
  if (!all) return { byStatus: {}, invocations: 0, p50Ms: null, p99Ms: null };
  return { byStatus: all.byStatus, invocations: all.invocations, p50Ms: all.p50Ms, p99Ms: all.p99Ms };
}
