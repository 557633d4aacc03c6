import type { FastifyInstance } from "fastify";
import type { Platform } from "../../platform.js";
import { loadTrace, type TraceNode } from "../../telemetry/traces.js";
import { guard } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";

function view(node: TraceNode): Record<string, unknown> {
  return {
    ...node,
    queuedAt: new Date(node.queuedAt).toISOString(),
    startedAt: new Date(node.startedAt).toISOString(),
    children: node.children.map(view),
  };
}

/** `GET …/traces/{id}`: the tree of activations of one trace (a trace id, or any activation in it). */
export function traceRoutes(app: FastifyInstance, platform: Platform): void {
  app.get<{ Params: { acct: string; id: string } }>(
    "/v1/accounts/:acct/traces/:id",
    {
      preHandler: guard(platform, "developer"),
      schema: {
        summary:
          "The tree of activations of one trace (ctx.invoke sync and async, sequences, event fan-out, schedules) with queued time, start, duration and status; the id is a trace id or any activation of it",
        params: {
          type: "object",
          properties: { ...accountParams.properties, id: { type: "string", maxLength: 100 } },
          required: ["acct", "id"],
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      // Records are written a moment after an invocation answers: the trace includes the newest ones.
      await platform.activations.flush();
      const trace = await loadTrace(platform.store.activations, request.params.acct, request.params.id);
      return { ...trace, roots: trace.roots.map(view) };
    },
  );
}
