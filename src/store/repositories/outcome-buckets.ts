import { sql } from "kysely";
import type { ActivationStatus } from "../../outcomes.js";
import type { OutcomeBucket, OutcomeBucketsFilter } from "../records.js";
import type { RepositoryContext } from "./context.js";

/**
 * Counts of one function's finished activations by status per bucket, in SQL both dialects run: the
 * bucket index is the offset from `from` over the bucket size, cast to an integer (better-sqlite3 binds
 * numbers as reals, so the division alone would not truncate there).
 */
export async function outcomeBuckets(
  { db }: RepositoryContext,
  filter: OutcomeBucketsFilter,
): Promise<OutcomeBucket[]> {
  const bucket = sql<number>`cast((started_at - ${filter.from}) / ${filter.bucketMs} as bigint)`;
  // Bucketed in a subquery: PostgreSQL would not take the same expression, with its own parameters, as
  // the grouping key in the outer query.
  const finished = db
    .selectFrom("activations")
    .select([bucket.as("bucket"), "status"])
    .where("account", "=", filter.account)
    .where("function", "=", filter.function)
    .where("started_at", ">=", filter.from)
    .where("started_at", "<", filter.to)
    .where("status", "not in", ["queued", "running"]);
  const rows = await db
    .selectFrom(finished.as("finished"))
    .select(["bucket", "status", sql<number>`count(*)`.as("n")])
    .groupBy(["bucket", "status"])
    .execute();
  const byBucket = new Map<number, OutcomeBucket>();
  for (const row of rows) {
    const index = Number(row.bucket);
    let entry = byBucket.get(index);
    if (!entry) byBucket.set(index, (entry = { start: filter.from + index * filter.bucketMs, byStatus: {} }));
    entry.byStatus[row.status as ActivationStatus] = Number(row.n);
  }
  return [...byBucket.values()].sort((a, b) => a.start - b.start);
}
