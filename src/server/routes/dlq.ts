import type { FastifyInstance } from "fastify";
import type { Platform } from "../../platform.js";
import { guard } from "../guard.js";
import { accountParams, errorResponses, pageProperties } from "../schemas.js";

/** Dead-lettered async invocations: those whose last retry failed (DESIGN §7). */
export function dlqRoutes(app: FastifyInstance, platform: Platform): void {
  const developer = guard(platform, "developer");

  app.get<{ Params: { acct: string }; Querystring: { limit: number; before?: string } }>(
    "/v1/accounts/:acct/dlq",
    {
      preHandler: developer,
      schema: {
        summary: "List dead-lettered async invocations, newest first (`next` is the cursor for `before`)",
        params: accountParams,
        querystring: {
          type: "object",
          properties: {
            ...pageProperties,
          },
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { limit, before } = request.query;
      const dead = await platform.async.dead(request.params.acct, limit, before);
      const dlq = dead.map((d) => ({
        id: d.id,
        function: d.function,
        trigger: d.trigger,
        attempts: d.attempts,
        error: d.error,
        createdAt: new Date(d.createdAt).toISOString(),
        failedAt: new Date(d.failedAt).toISOString(),
      }));
      return dlq.length === limit ? { dlq, next: dlq[dlq.length - 1]!.id } : { dlq };
    },
  );

  app.post<{ Params: { acct: string; id: string } }>(
    "/v1/accounts/:acct/dlq/:id/redrive",
    {
      preHandler: developer,
      schema: {
        summary: "Queue a dead-lettered invocation again (same activation id, attempts start over)",
        params: {
          type: "object",
          properties: { ...accountParams.properties, id: { type: "string", maxLength: 64 } },
          required: ["acct", "id"],
        },
        response: errorResponses(),
      },
    },
    async (request, reply) => {
      const { acct, id } = request.params;
      await platform.async.redrive(acct, id);
      return reply.code(202).header("x-runlet-activation-id", id).send({ activationId: id });
    },
  );
}
