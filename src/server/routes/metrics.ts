import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { ActivationStatus } from "../../outcomes.js";
import type { Platform } from "../../platform.js";
import { guard } from "../guard.js";
import { parseTime } from "../query-time.js";
import { errorResponses, functionParams } from "../schemas.js";
import type { OutcomeBucket } from "../../store/records.js";

/** The hosted platform's invocation outcomes, from Runlet's statuses (`rejected`: refused before running). */
const CATEGORY: Record<Exclude<ActivationStatus, "queued" | "running">, keyof Counts> = {
  succeeded: "succeeded",
  function_error: "codeFailure",
  resource_exceeded: "codeFailure",
  timeout: "timeout",
  platform_error: "platformFailure",
  rejected: "rejected",
};

interface Counts {
  succeeded: number;
  codeFailure: number;
  platformFailure: number;
  timeout: number;
  rejected: number;
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--last 7d`: minutes, hours or days, up to 90 days (activations are not kept longer than that). */
export function parseLast(value: string): number {
  const match = /^(\d{1,4})([mhd])$/.exec(value);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms > 0) || ms > 90 * UNIT_MS.d) {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      `last=${value} is not a duration: use e.g. 1h, 24h, 7d or 30d (at most 90d)`,
    );
  }
  return ms;
}

function zero(): Counts {
  return { succeeded: 0, codeFailure: 0, platformFailure: 0, timeout: 0, rejected: 0 };
}

function add(into: Counts, byStatus: OutcomeBucket["byStatus"]): Counts {
  for (const [status, n] of Object.entries(byStatus)) {
    const category = CATEGORY[status as keyof typeof CATEGORY];
    if (category) into[category] += n ?? 0;
  }
  return into;
}

/**
 * `GET /v1/accounts/{acct}/functions/{name}/metrics`: invocations by outcome (succeeded, code failure,
 * platform failure, timeout, and rejected) over time, in equal buckets (`runlet metrics`).
 */
export function metricsRoutes(app: FastifyInstance, platform: Platform): void {
  app.get<{
    Params: { acct: string; name: string };
    Querystring: { last?: string; from?: string; to?: string; buckets?: number };
  }>(
    "/v1/accounts/:acct/functions/:name/metrics",
    {
      preHandler: guard(platform, "developer"),
      schema: {
        summary: "Invocations by outcome over time: ?last=7d (or from, to) and buckets (1-1000, default 24)",
        params: functionParams,
        querystring: {
          type: "object",
          properties: {
            last: { type: "string", maxLength: 10 },
            from: { type: "string", maxLength: 40 },
            to: { type: "string", maxLength: 40 },
            buckets: { type: "integer", minimum: 1, maximum: 1000 },
          },
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct, name } = request.params;
      await platform.functions.require(acct, name);
      const to = parseTime("to", request.query.to) ?? Date.now();
      const from = parseTime("from", request.query.from) ?? to - parseLast(request.query.last ?? "24h");
      if (!(from < to)) throw new RunletError("RUNLET_ERR_BAD_REQUEST", "from must be before to");
      const count = request.query.buckets ?? 24;
      const bucketMs = Math.max(1, Math.ceil((to - from) / count));
      const found = await platform.store.activations.outcomeBuckets({
        account: acct,
        function: name,
        from,
        to,
        bucketMs,
      });
      const byStart = new Map(found.map((b) => [b.start, b.byStatus]));
      const total = zero();
      const buckets = Array.from({ length: Math.ceil((to - from) / bucketMs) }, (_, i) => {
        const start = from + i * bucketMs;
        const counts = add(zero(), byStart.get(start) ?? {});
        add(total, byStart.get(start) ?? {});
        return {
          start: new Date(start).toISOString(),
          end: new Date(Math.min(to, start + bucketMs)).toISOString(),
          ...counts,
        };
      });
      const versions = await platform.store.activations.versionStats({
        account: acct,
        function: name,
        since: from,
      });
      return {
        function: name,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        bucketMs,
        total,
        // Each version apart (a canary beside the deployed version), from `from` on.
        byVersion: versions.map((v) => ({ version: v.version, ...add(zero(), v.byStatus) })),
        buckets,
      };
    },
  );
}
