import type { FastifyInstance } from "fastify";
import type { ReplayReport } from "../../model/recording.js";
import { MAX_REPLAYS, type Replays } from "../../replay/replays.js";
import { NAME_PATTERN } from "../../functions/names.js";
import { guard, type GuardDeps } from "../guard.js";
import { errorResponses, functionParams } from "../schemas.js";

const activationParams = {
  type: "object",
  properties: {
    acct: { type: "string", pattern: NAME_PATTERN },
    id: { type: "string", maxLength: 64 },
  },
  required: ["acct", "id"],
} as const;

const version = { type: "integer", minimum: 1 } as const;

/** The verdicts of a batch, counted. */
function summaryOf(reports: ReplayReport[]) {
  const count = (v: ReplayReport["verdict"]) => reports.filter((r) => r.verdict === v).length;
  return {
    replayed: reports.length,
    same: count("same"),
    differentResult: count("different_result"),
    differentCalls: count("different_calls"),
  };
}

/**
 * Record and replay: run a kept version on recorded activations (their input, their host calls' answers
 * played back, nothing real performed) and report per activation same / different result / different calls.
 * A replay is a read: not audited, not an activation, not metered.
 */
export function replayRoutes(app: FastifyInstance, deps: GuardDeps & { replays: Replays }): void {
  app.post<{ Params: { acct: string; id: string }; Body: { version: number } }>(
    "/v1/accounts/:acct/activations/:id/replay",
    {
      preHandler: guard(deps, "developer"),
      config: { audit: false },
      schema: {
        summary:
          "Replay a recorded activation against a kept version: {verdict: same|different_result|different_calls, diff, calls, recorded, replayed}; 404 RUNLET_ERR_NOT_RECORDED if the function's config had no record",
        params: activationParams,
        body: {
          type: "object",
          properties: { version },
          required: ["version"],
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => deps.replays.one(request.params.acct, request.params.id, request.body.version),
  );

  app.post<{ Params: { acct: string; name: string }; Body: { version: number; last?: number } }>(
    "/v1/accounts/:acct/functions/:name/replay",
    {
      preHandler: guard(deps, "developer"),
      config: { audit: false },
      schema: {
        summary: `Replay the function's newest recorded activations (last, at most ${MAX_REPLAYS}) against a kept version: {summary, reports}`,
        params: functionParams,
        body: {
          type: "object",
          properties: {
            version,
            last: { type: "integer", minimum: 1, maximum: MAX_REPLAYS, default: MAX_REPLAYS },
          },
          required: ["version"],
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct, name } = request.params;
      const reports = await deps.replays.latest(
        acct,
        name,
        request.body.last ?? MAX_REPLAYS,
        request.body.version,
      );
      return { summary: summaryOf(reports), reports };
    },
  );
}
