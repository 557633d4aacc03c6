import type { FastifyInstance } from "fastify";
import type { FunctionRecord } from "../../model/function.js";
import type { Platform } from "../../platform.js";
import { actorOf } from "../../security/authenticator.js";
import { guard } from "../guard.js";
import { errorResponses, functionParams } from "../schemas.js";

type Params = { acct: string; name: string };

/** A function's canary as the API shows it, or null. */
export function canaryView(fn: FunctionRecord) {
  const canary = fn.canary;
  if (!canary) return null;
  return {
    version: canary.version,
    percent: canary.weight / 100,
    since: new Date(canary.since).toISOString(),
    autoRollback: canary.autoRollback
      ? {
          maxErrorRate: canary.autoRollback.maxErrorRate,
          minInvocations: canary.autoRollback.minInvocations,
          windowMs: canary.autoRollback.windowMs,
        }
      : null,
  };
}

/** Canary rollouts beyond `POST …/deploy {percent}`: promote, roll back, and the deployment history. */
export function rolloutRoutes(app: FastifyInstance, platform: Platform): void {
  const developer = guard(platform, "developer");
  const result = (fn: FunctionRecord) => ({
    name: fn.name,
    deployedVersion: fn.deployedVersion,
    canary: canaryView(fn),
    latestVersion: fn.latestVersion,
  });

  app.post<{ Params: Params }>(
    "/v1/accounts/:acct/functions/:name/promote",
    {
      preHandler: developer,
      schema: {
        summary: "Make the canary the deployed version (it takes every invocation)",
        params: functionParams,
        response: errorResponses(409),
      },
    },
    async (request) =>
      result(
        await platform.rollouts.promote(request.params.acct, request.params.name, actorOf(request.principal)),
      ),
  );

  app.post<{ Params: Params }>(
    "/v1/accounts/:acct/functions/:name/rollback",
    {
      preHandler: developer,
      schema: {
        summary: "End the canary: the deployed version takes every invocation again",
        params: functionParams,
        response: errorResponses(409),
      },
    },
    async (request) => {
      const fn = await platform.rollouts.rollback(request.params.acct, request.params.name, {
        actor: request.principal,
      });
      return result(fn!);
    },
  );

  app.get<{ Params: Params; Querystring: { limit?: number } }>(
    "/v1/accounts/:acct/functions/:name/deployments",
    {
      preHandler: developer,
      schema: {
        summary:
          "Deployment history, newest first: each deploy, canary change and rollback, with the reason of one the platform made by itself",
        params: functionParams,
        querystring: {
          type: "object",
          properties: { limit: { type: "integer", minimum: 1, maximum: 1000 } },
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct, name } = request.params;
      await platform.functions.require(acct, name);
      const list = await platform.store.deployments.list(acct, name, request.query.limit ?? 50);
      return {
        deployments: list.map((d) => ({
          at: new Date(d.at).toISOString(),
          version: d.version,
          canary: d.canary ? { version: d.canary.version, percent: d.canary.weight / 100 } : null,
          reason: d.reason ?? null,
        })),
      };
    },
  );
}
