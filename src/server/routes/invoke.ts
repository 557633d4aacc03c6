import type { FastifyInstance } from "fastify";
import type { Readable } from "node:stream";
import { guard } from "../guard.js";
import { handleInvoke, type InvokeDeps } from "../invoke-handler.js";
import { prefersAsync } from "../invoke-async.js";
import { sendAnswer } from "../reply.js";
import { errorResponses, functionParams } from "../schemas.js";

type Params = { acct: string; name: string };
type Query = { version?: number; async?: boolean };

/**
 * POST …/invoke on Fastify: what the fast path (fast-invoke.ts) does not take — a query string, a
 * non-JSON content type — reaches handleInvoke here. Registered in its own scope: the body is handed on
 * unread, so handleInvoke checks its size, type and JSON exactly as on the fast path.
 */
export async function invokeRoutes(app: FastifyInstance, deps: InvokeDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, payload, done) => done(null, payload));

  app.post<{ Params: Params; Querystring: Query; Body: Readable | undefined }>(
    "/v1/accounts/:acct/functions/:name/invoke",
    {
      preHandler: guard(deps, "invoker"),
      schema: {
        summary:
          "Invoke a deployed function; the JSON body is the payload. ?async=true or Prefer: respond-async queues it (202 {activationId}; headers X-Callback-Url, Idempotency-Key). X-Runlet-Faults: <profile> applies a fault profile (developer or admin key; an invoker's gets 403 RUNLET_ERR_FAULTS_FORBIDDEN)",
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
      const answer = await handleInvoke(deps, {
        account: acct,
        name,
        url: request.url,
        headers: request.headers,
        async: request.query.async === true || prefersAsync(request.headers),
        ...(request.query.version !== undefined ? { version: request.query.version } : {}),
        body: request.body,
        principal: request.principal!,
      });
      return sendAnswer(reply, answer);
    },
  );
}
