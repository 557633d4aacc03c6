import type { ActivationStatus, Trigger } from "../model/activation.js";

// The store's own query shapes (filters, rows of aggregates); the domain types are in src/model/.

export interface ActivationFilter {
  account: string;
  function?: string;
  status?: ActivationStatus;
  /** startedAt >= since (ms) */
  since?: number;
  /** startedAt < until (ms) */
  until?: number;
  trigger?: Trigger;
  version?: number;
  /** Only the activations this one invoked (ctx.invoke, sequence steps). */
  parentId?: string;
  /** Return activations with id < before (cursor from a previous page). */
  before?: string;
  limit: number;
}

export interface UsageFilter {
  account: string;
  /** startedAt >= from (ms) */
  from: number;
  /** startedAt < to (ms) */
  to: number;
  /** Only this function's activations (a function's budget). */
  function?: string;
  /** No grouping: one row, key "total". "day,function": a row per UTC day and function that has any. */
  groupBy?: "function" | "day" | "day,function";
}

/** One function's recent activations (`runlet get`): finished ones with startedAt >= since. */
export interface StatsFilter {
  account: string;
  function: string;
  since: number;
}

export interface FunctionStats {
  /** Finished activations by status (statuses with none are absent). */
  byStatus: Partial<Record<ActivationStatus, number>>;
  invocations: number;
  /** Nearest-rank percentiles of durationMs over the activations that ran (not `rejected`); null if none. */
  p50Ms: number | null;
  p99Ms: number | null;
}

/** One version's finished activations by status (canary and deployed version apart). */
export interface VersionStats {
  version: number;
  byStatus: Partial<Record<ActivationStatus, number>>;
  invocations: number;
}

/** Finished activations in [from, to) of one function (or the whole account), per bucket of `bucketMs`. */
export interface OutcomeBucketsFilter {
  account: string;
  /** Absent: every function of the account. */
  function?: string;
  from: number;
  to: number;
  bucketMs: number;
}

export interface OutcomeBucket {
  /** The bucket's start, ms since epoch (from + k × bucketMs). */
  start: number;
  byStatus: Partial<Record<ActivationStatus, number>>;
  invocations: number;
  coldStarts: number;
  /** `rejected` records whose error code is one of THROTTLED_CODES (src/outcomes.ts). */
  throttled: number;
  /** Nearest-rank percentiles of durationMs over the activations that ran (not `rejected`); null if none. */
  p50Ms: number | null;
  p99Ms: number | null;
}

/** What a set of activations used: the basis of metering (DESIGN §3 metering/). */
export interface UsageRow {
  /** The function name, the UTC day (YYYY-MM-DD), "day/function" (2026-12-01/hello), or "total". */
  key: string;
  /** Grouped by day. */
  day?: string;
  /** Grouped by function. */
  function?: string;
  invocations: number;
  /** Activations whose status is not `succeeded`. */
  errors: number;
  billedMs: number;
  /** Sum of billed seconds × memory in GiB. */
  gbSeconds: number;
}

export interface KvListFilter {
  account: string;
  namespace: string;
  prefix?: string;
  /** Keys strictly after this one (the cursor of a previous page). */
  after?: string;
  limit: number;
  /** Entries that expired by this time are left out. */
  now: number;
}

export interface AuditFilter {
  account: string;
  /** at >= since (ms) */
  since?: number;
  /** id < before (cursor from a previous page) */
  before?: string;
  limit: number;
}
