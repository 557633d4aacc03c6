import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { Platform } from "../../platform.js";
import { traceTree } from "../../telemetry/trace-tree.js";
import { spanIdsOf } from "../../telemetry/traceparent.js";
import { guard } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";

/** Records one trace returns at most: a chain's own budget (RUNLET_MAX_INVOKES_PER_CHAIN) fits, and more. */
export const TRACE_LIMIT = 2000;
const TRACE_ID = /^[0-9a-f]{32}$/;

const nodeProperties = {
  id: { type: "string" },
  function: { type: "string" },
  version: { type: "integer" },
  trigger: { type: "string" },
  status: { type: "string" },
  spanId: { type: "string" },
  parentSpanId: { type: "string" },
  parentId: { type: "string" },
  queuedMs: { type: "number", description: "ms it waited in the queue before its (last) run" },
  startedAt: { type: "string", format: "date-time" },
  offsetMs: { type: "number", description: "ms from the trace's first start (queue included) to its start" },
  durationMs: { type: "number" },
  billedMs: { type: "integer" },
  coldStart: { type: "boolean" },
  attempts: { type: "integer" },
  error: { type: "object", additionalProperties: true },
  callback: { type: "object", additionalProperties: true },
  children: {
    type: "array",
    description: "the activations it invoked (ctx.invoke, sequence steps), each a node like this one",
    items: { type: "object", additionalProperties: true },
  },
} as const;

const traceSchema = {
  type: "object",
  properties: {
    traceId: { type: "string" },
    startedAt: { type: "string", format: "date-time" },
    durationMs: { type: "number" },
    count: { type: "integer" },
    truncated: { type: "boolean" },
    roots: { type: "array", items: { type: "object", properties: nodeProperties } },
  },
} as const;

export function traceRoutes(app: FastifyInstance, platform: Platform): void {
  const developer = guard(platform, "developer");

  app.get<{ Params: { acct: string; id: string } }>(
    "/v1/accounts/:acct/traces/:id",
    {
      preHandler: developer,
      schema: {
        summary: "The tree of activations of one trace (by trace id, or by the id of one of its activations)",
        params: {
          ...accountParams,
          properties: { ...accountParams.properties, id: { type: "string", maxLength: 64 } },
        },
        response: { 200: traceSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { acct, id } = request.params;
      // An activation id names the trace it is in; otherwise the id must be a trace id.
      const named = TRACE_ID.test(id) ? undefined : await platform.activations.get(acct, id);
      const traceId = named ? spanIdsOf(named).traceId : id;
      const found = TRACE_ID.test(traceId)
        ? await platform.activations.trace(acct, traceId, TRACE_LIMIT + 1)
        : [];
      // A record stored before traces were indexed is found by its id only.
      if (named && !found.some((a) => a.id === named.id)) found.push(named);
      if (found.length === 0) {
        throw new RunletError(
          "RUNLET_ERR_TRACE_NOT_FOUND",
          TRACE_ID.test(id)
            ? `no activation of this account is in trace ${id}; send a trace id from an activation's traceparent (runlet activation <id> prints it) or the activation id itself`
            : `${id} is neither a trace id (32 lower-case hex digits) nor an activation of this account; list activations with runlet activations`,
        );
      }
      const truncated = found.length > TRACE_LIMIT;
      return traceTree(traceId, found.slice(0, TRACE_LIMIT), truncated);
    },
  );
}
