import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { Usage } from "../../metering/usage.js";
import { guard, type GuardDeps } from "../guard.js";
import { parseTime } from "../query-time.js";
import { accountParams, errorResponses } from "../schemas.js";

type Query = { from?: string; to?: string; groupBy?: "function" | "day" | "day,function" };

/** Metering: what an account's functions used and cost, from the activation records themselves. */
export function usageRoutes(app: FastifyInstance, deps: GuardDeps & { usage: Usage }): void {
  app.get<{ Params: { acct: string }; Querystring: Query }>(
    "/v1/accounts/:acct/usage",
    {
      preHandler: guard(deps, "developer"),
      schema: {
        summary:
          "Invocations, errors, billed ms, GB-seconds and cost over [from, to), optionally grouped by function, UTC day, or both (day,function: a row per day and function, with day and function fields)",
        params: accountParams,
        querystring: {
          type: "object",
          properties: {
            from: { type: "string", maxLength: 40 },
            to: { type: "string", maxLength: 40 },
            groupBy: { type: "string", enum: ["function", "day", "day,function"] },
          },
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const now = Date.now();
      const to = parseTime("to", request.query.to) ?? now;
      const from = parseTime("from", request.query.from) ?? to - 30 * 86_400_000;
      if (from >= to) throw new RunletError("RUNLET_ERR_BAD_REQUEST", "from must be before to");
      const { groupBy } = request.query;
      const report = await deps.usage.report({ account: request.params.acct, from, to }, groupBy);
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        pricing: deps.usage.pricing,
        total: report.total,
        ...(report.groups ? { groupBy, groups: report.groups } : {}),
      };
    },
  );
}
