import { sql, type Expression, type SqlBool } from "kysely";
import { THROTTLED_CODES, type ActivationStatus } from "../../outcomes.js";
import type { OutcomeBucket, OutcomeBucketsFilter } from "../records.js";
import type { RepositoryContext } from "./context.js";

/**
 * Finished activations per time bucket, in SQL both dialects run: counts by status, cold starts and
 * throttled refusals, and nearest-rank p50/p99 of the durations of those that ran. The bucket index is
 * the offset from `from` over the bucket size, cast to an integer (better-sqlite3 binds numbers as reals,
 * so the division alone would not truncate there). Percentiles come from row_number() over each bucket's
 * durations (no percentile_cont in SQLite); ceil(n·p/100) is written in integer arithmetic for the same
 * reason. Buckets with no activation are absent; oldest first.
 */
export async function outcomeBuckets(
  { db }: RepositoryContext,
  filter: OutcomeBucketsFilter,
): Promise<OutcomeBucket[]> {
  const bucket = sql<number>`cast((started_at - ${filter.from}) / ${filter.bucketMs} as bigint)`;
  // A throttled refusal is a `rejected` record with one of these codes in its error JSON (written by
  // JSON.stringify, so the code's text is exact).
  const throttledCode = sql.join(
    THROTTLED_CODES.map((code) => sql`error like ${`%"code":"${code}"%`}`),
    sql` or `,
  );
  const finished = db
    .selectFrom("activations")
    .where("account", "=", filter.account)
    .$if(filter.function !== undefined, (q) => q.where("function", "=", filter.function!))
    .where("started_at", ">=", filter.from)
    .where("started_at", "<", filter.to)
    .where("status", "not in", ["queued", "running"]);
  // Bucketed in subqueries: PostgreSQL would not take the same expression, with its own parameters, as
  // the grouping key in the outer query.
  const counted = finished.select([
    bucket.as("bucket"),
    "status",
    "cold_start",
    sql<number>`case when status = 'rejected' and (${throttledCode}) then 1 else 0 end`.as("throttled"),
  ]);
  const counts = db
    .selectFrom(counted.as("counted"))
    .select([
      "bucket",
      "status",
      sql<number>`count(*)`.as("n"),
      sql<number>`sum(cold_start)`.as("cold"),
      sql<number>`sum(throttled)`.as("throttled"),
    ])
    .groupBy(["bucket", "status"])
    .execute();
  const ranked = finished
    .where("status", "<>", "rejected")
    .select([
      bucket.as("bucket"),
      "duration_ms",
      sql<number>`row_number() over (partition by ${bucket} order by duration_ms)`.as("rn"),
      sql<number>`count(*) over (partition by ${bucket})`.as("n"),
    ]);
  const rank = (p: number): Expression<SqlBool> => sql<SqlBool>`rn = (n * ${sql.lit(p)} + 99) / 100`;
  const percentiles = db
    .selectFrom(ranked.as("ranked"))
    .select([
      "bucket",
      sql<number | null>`max(case when ${rank(50)} then duration_ms end)`.as("p50"),
      sql<number | null>`max(case when ${rank(99)} then duration_ms end)`.as("p99"),
    ])
    .groupBy("bucket")
    .execute();

  const byBucket = new Map<number, OutcomeBucket>();
  const entry = (index: number) => {
    let found = byBucket.get(index);
    if (!found) {
      found = {
        start: filter.from + index * filter.bucketMs,
        byStatus: {},
        invocations: 0,
        coldStarts: 0,
        throttled: 0,
        p50Ms: null,
        p99Ms: null,
      };
      byBucket.set(index, found);
    }
    return found;
  };
  const [countRows, percentileRows] = await Promise.all([counts, percentiles]);
  for (const row of countRows) {
    const e = entry(Number(row.bucket));
    const n = Number(row.n);
    e.byStatus[row.status as ActivationStatus] = n;
    e.invocations += n;
    e.coldStarts += Number(row.cold);
    e.throttled += Number(row.throttled);
  }
  for (const row of percentileRows) {
    const e = entry(Number(row.bucket));
    e.p50Ms = row.p50 === null ? null : Number(row.p50);
    e.p99Ms = row.p99 === null ? null : Number(row.p99);
  }
  return [...byBucket.values()].sort((a, b) => a.start - b.start);
}
