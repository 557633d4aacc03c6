import { sql } from "kysely";
import type { ActivationStatus } from "../../outcomes.js";
import type { FunctionStats, StatsFilter, VersionStats } from "../records.js";
import type { RepositoryContext } from "./context.js";

/**
 * Counts by status and p50/p99 duration of one function's recent activations, computed in SQL that
 * SQLite and PostgreSQL both run: nearest-rank percentiles from row_number() over the durations (no
 * percentile_cont in SQLite); ceil(n·p/100) is written in integer arithmetic for the same reason.
 */
export async function activationStats(
  { db }: RepositoryContext,
  filter: StatsFilter,
): Promise<FunctionStats> {
  const counts = await db
    .selectFrom("activations")
    .select(["status", sql<number>`count(*)`.as("n")])
    .where("account", "=", filter.account)
    .where("function", "=", filter.function)
    .where("started_at", ">=", filter.since)
    .where("status", "not in", ["queued", "running"])
    .groupBy("status")
    .execute();
  const ranked = db
    .selectFrom("activations")
    .select([
      "duration_ms",
      sql<number>`row_number() over (order by duration_ms)`.as("rn"),
      sql<number>`count(*) over ()`.as("n"),
    ])
    .where("account", "=", filter.account)
    .where("function", "=", filter.function)
    .where("started_at", ">=", filter.since)
    .where("status", "not in", ["queued", "running", "rejected"]);
  const percentiles = await db
    .selectFrom(ranked.as("ranked"))
    .select([
      sql<number | null>`max(case when rn = (n * 50 + 99) / 100 then duration_ms end)`.as("p50"),
      sql<number | null>`max(case when rn = (n * 99 + 99) / 100 then duration_ms end)`.as("p99"),
    ])
    .executeTakeFirst();
  const byStatus: FunctionStats["byStatus"] = {};
  let invocations = 0;
  for (const row of counts) {
    const n = Number(row.n);
    byStatus[row.status as ActivationStatus] = n;
    invocations += n;
  }
  const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return { byStatus, invocations, p50Ms: num(percentiles?.p50), p99Ms: num(percentiles?.p99) };
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
export async function lastStarted({ db }: RepositoryContext, account: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("activations")
    .select(["function", sql<number>`max(started_at)`.as("at")])
    .where("account", "=", account)
    .groupBy("function")
    .execute();
  return new Map(rows.map((row) => [row.function, Number(row.at)]));
}
