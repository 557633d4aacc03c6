import type { FastifyInstance } from "fastify";
import type { Platform } from "../../platform.js";
import { incomingTrace } from "../../telemetry/traceparent.js";
import { forwardedHeaders } from "../forwarded-headers.js";
import { guard } from "../guard.js";
import { sendInvokeResult } from "../reply.js";
import { errorResponses, functionParams } from "../schemas.js";
import { invokeAsync, wantsAsync } from "./invoke-async.js";

type Params = { acct: string; name: string };
type Query = { version?: number; async?: boolean };

export function invokeRoutes(app: FastifyInstance, platform: Platform): void {
  const invoker = guard(platform, "invoker");

  app.post<{ Params: Params; Querystring: Query; Body: unknown }>(
    "/v1/accounts/:acct/functions/:name/invoke",
    {
      preHandler: invoker,
      bodyLimit: platform.config.limits.syncPayloadBytes,
      schema: {
        summary:
          "Invoke a deployed function; the JSON body is the payload. ?async=true or Prefer: respond-async queues it (202 {activationId}; headers X-Callback-Url, Idempotency-Key)",
        params: functionParams,
        querystring: {
          type: "object",
          properties: { version: { type: "integer", minimum: 1 }, async: { type: "boolean" } },
        },
        response: {
          ...errorResponses(409, 413, 429, 500, 502, 504),
          202: {
            type: "object",
            properties: { activationId: { type: "string" } },
            required: ["activationId"],
          },
        },
      },
    },
    async (request, reply) => {
      const { acct, name } = request.params;
      if (wantsAsync(request)) return invokeAsync(platform, request, reply);
      if (request.query.version !== undefined) platform.auth.authorize(request.principal!, acct, "developer");
      const result = await platform.dispatcher.invoke({
        account: acct,
        function: name,
        trigger: "http",
        payload: request.body ?? null,
        headers: forwardedHeaders(request.headers),
        ...incomingTrace(request.headers.traceparent),
        ...(request.query.version !== undefined ? { version: request.query.version } : {}),
      });
      return sendInvokeResult(reply, result);
    },
  );
}
