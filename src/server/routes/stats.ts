import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { FunctionService } from "../../functions/service.js";
import { FINAL_STATUSES } from "../../outcomes.js";
import type { ActivationStats, StatsBucket } from "../../telemetry/stats.js";
import { guard, type GuardDeps } from "../guard.js";
import { parseTime } from "../query-time.js";
import { accountParams, errorResponses, functionParams } from "../schemas.js";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Activations are not kept longer than this. */
const MAX_RANGE_MS = 90 * UNIT_MS.d;
const MAX_BUCKETS = 1000;
/** With no `bucket`: the first of these that gives at most 200 buckets. */
const DEFAULT_BUCKETS = ["1m", "5m", "15m", "1h", "6h", "1d"];

type Query = { from?: string; to?: string; bucket?: string };

/** `bucket=5m`: minutes, hours or days. */
function bucketMs(value: string): number {
  const match = /^(\d{1,4})([mhd])$/.exec(value);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : 0;
  if (ms === 0) {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      `bucket=${value} is not a bucket size: send minutes, hours or days, e.g. bucket=1m, 5m, 1h or 1d`,
    );
  }
  return ms;
}

/** The range and bucket a stats request asks for: defaults, and the refusals of what cannot be answered. */
function statsRange(query: Query, now: number) {
  const to = parseTime("to", query.to) ?? now;
  const from = parseTime("from", query.from) ?? to - UNIT_MS.d;
  if (!(from < to)) {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      "from must be before to: send an earlier from or a later to",
    );
  }
  if (to - from > MAX_RANGE_MS) {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      "from and to are more than 90 days apart (activations are kept 90 days): send a shorter range",
    );
  }
  const bucket = query.bucket ?? DEFAULT_BUCKETS.find((b) => (to - from) / bucketMs(b) <= 200) ?? "1d";
  const size = bucketMs(bucket);
  const count = Math.ceil((to - from) / size);
  if (count > MAX_BUCKETS) {
    const least = DEFAULT_BUCKETS.find((b) => (to - from) / bucketMs(b) <= MAX_BUCKETS) ?? "1d";
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      `bucket=${bucket} makes ${count} buckets of [from, to), more than ${MAX_BUCKETS}: send a larger bucket (bucket=${least}) or a shorter range`,
    );
  }
  return { from, to, bucket, bucketMs: size };
}

const bucketSchema = {
  type: "object",
  properties: {
    start: { type: "string", format: "date-time" },
    end: { type: "string", format: "date-time" },
    invocations: { type: "integer" },
    byStatus: {
      type: "object",
      properties: Object.fromEntries(FINAL_STATUSES.map((s) => [s, { type: "integer" }])),
    },
    coldStarts: { type: "integer" },
    throttled: {
      type: "integer",
      description: "refused with RUNLET_ERR_THROTTLED or RUNLET_ERR_MEMORY_BUDGET",
    },
    p50Ms: { type: ["number", "null"] },
    p99Ms: { type: ["number", "null"] },
  },
} as const;

const statsSchema = {
  type: "object",
  properties: {
    account: { type: "string" },
    function: { type: "string" },
    from: { type: "string", format: "date-time" },
    to: { type: "string", format: "date-time" },
    bucket: { type: "string" },
    bucketMs: { type: "integer" },
    total: bucketSchema,
    buckets: { type: "array", items: bucketSchema },
  },
} as const;

const querystring = {
  type: "object",
  properties: {
    from: { type: "string", maxLength: 40, description: "ISO 8601 or epoch ms; default: 24 hours before to" },
    to: { type: "string", maxLength: 40, description: "ISO 8601 or epoch ms; default: now" },
    bucket: { type: "string", maxLength: 10, description: "1m, 5m, 1h, 1d, …; at most 1000 buckets" },
  },
  additionalProperties: false,
} as const;

const iso = (ms: number) => new Date(ms).toISOString();
const view = (b: StatsBucket) => ({ ...b, start: iso(b.start), end: iso(b.end) });

export interface StatsRouteDeps extends GuardDeps {
  functions: Pick<FunctionService, "require">;
  stats: ActivationStats;
}

/**
 * `GET …/functions/{name}/stats` and `GET …/stats` (the whole account): per time bucket, finished
 * invocations by status, cold starts, throttled refusals and duration p50/p99, from the activation records.
 */
export function statsRoutes(app: FastifyInstance, deps: StatsRouteDeps): void {
  const developer = guard(deps, "developer");
  const summary = "per bucket of [from, to): invocations by status, cold starts, throttled, duration p50/p99";

  app.get<{ Params: { acct: string; name: string }; Querystring: Query }>(
    "/v1/accounts/:acct/functions/:name/stats",
    {
      preHandler: developer,
      schema: {
        summary: `One function's invocation stats ${summary}`,
        params: functionParams,
        querystring,
        response: { 200: statsSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { acct, name } = request.params;
      const range = statsRange(request.query, Date.now());
      await deps.functions.require(acct, name);
      const series = await deps.stats.series({ account: acct, function: name, ...range });
      return answer(acct, range, series, name);
    },
  );

  app.get<{ Params: { acct: string }; Querystring: Query }>(
    "/v1/accounts/:acct/stats",
    {
      preHandler: developer,
      schema: {
        summary: `The account's invocation stats (every function) ${summary}`,
        params: accountParams,
        querystring,
        response: { 200: statsSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { acct } = request.params;
      const range = statsRange(request.query, Date.now());
      const series = await deps.stats.series({ account: acct, ...range });
      return answer(acct, range, series);
    },
  );
}

function answer(
  account: string,
  range: ReturnType<typeof statsRange>,
  series: Awaited<ReturnType<ActivationStats["series"]>>,
  fn?: string,
) {
  return {
    account,
    ...(fn !== undefined ? { function: fn } : {}),
    from: iso(range.from),
    to: iso(range.to),
    bucket: range.bucket,
    bucketMs: range.bucketMs,
    total: view(series.total),
    buckets: series.buckets.map(view),
  };
}
