import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { Platform } from "../../platform.js";
import { forwardedHeaders } from "../forwarded-headers.js";
import { guard } from "../guard.js";
import { sendInvokeResult } from "../reply.js";
import { errorResponses, functionParams } from "../schemas.js";

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
        summary: "Invoke a deployed function synchronously; the JSON body is the payload",
        params: functionParams,
        querystring: {
          type: "object",
          properties: { version: { type: "integer", minimum: 1 }, async: { type: "boolean" } },
        },
        response: errorResponses(409, 413, 429, 500, 502, 504),
      },
    },
    async (request, reply) => {
      const { acct, name } = request.params;
      if (request.query.async || /respond-async/i.test(String(request.headers.prefer ?? ""))) {
        throw new RunletError(
          "RUNLET_ERR_BAD_REQUEST",
          "async invocation is not available on this server version; invoke without async",
        );
      }
      if (request.query.version !== undefined) platform.auth.authorize(request.principal!, acct, "developer");
      const result = await platform.dispatcher.invoke({
        account: acct,
        function: name,
        trigger: "http",
        payload: request.body ?? null,
        headers: forwardedHeaders(request.headers),
        ...(request.query.version !== undefined ? { version: request.query.version } : {}),
      });
      return sendInvokeResult(reply, result);
    },
  );
}
