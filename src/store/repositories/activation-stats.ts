import { sql } from "kysely";
import type { ActivationStatus } from "../../outcomes.js";
import type { FunctionStats, StatsFilter, VersionStats } from "../records.js";
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

/** Counts by version and status of one function's finished activations since a time. */
export async function versionStats({ db }: RepositoryContext, filter: StatsFilter): Promise<VersionStats[]> {
  const rows = await db
    .selectFrom("activations")
    .select(["version", "status", sql<number>`count(*)`.as("n")])
    .where("account", "=", filter.account)
    .where("function", "=", filter.function)
    .where("started_at", ">=", filter.since)
    .where("status", "not in", ["queued", "running"])
    .groupBy(["version", "status"])
    .execute();
  const byVersion = new Map<number, VersionStats>();
  for (const row of rows) {
    const version = Number(row.version);
    let stats = byVersion.get(version);
    if (!stats) byVersion.set(version, (stats = { version, byStatus: {}, invocations: 0 }));
    const n = Number(row.n);
    stats.byStatus[row.status as ActivationStatus] = n;
    stats.invocations += n;
  }
  return [...byVersion.values()].sort((a, b) => b.version - a.version);
}

/** When each of an account's functions last started an activation (functions never invoked are absent). */
export async function lastStarted(
  { db }: RepositoryContext,
  account: string,
  functions: readonly string[],
): Promise<Map<string, number>> {
  // One max() per function: each is a single seek on (account, function, started_at) (017), where a
  // GROUP BY over the account would read every record it has (on SQLite, on the server's thread).
  const rows = await Promise.all(
    functions.map((name) =>
      db
        .selectFrom("activations")
        .select(sql<number | null>`max(started_at)`.as("at"))
        .where("account", "=", account)
        .where("function", "=", name)
        .executeTakeFirst()
        .then((row) => [name, row?.at] as const),
    ),
  );
  const last = new Map<string, number>();
  for (const [name, at] of rows) if (at !== null && at !== undefined) last.set(name, Number(at));
  return last;
}
