import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { InvokeResult } from "../../model/invocation.js";
import { httpStatusOf } from "../../outcomes.js";
import type { Platform } from "../../platform.js";
import { toRunletError } from "../errors.js";
import { guard } from "../guard.js";
import { incomingTrace } from "../../telemetry/traceparent.js";
import { assertEventType } from "../../triggers/event-subscriptions.js";
import { runEventChain } from "../../compat/event-chain.js";
import { hostedErrorBody, type Generation } from "../../compat/hosted-errors.js";
import { readHostedInput } from "../../compat/invoke-body.js";
import { LambdaIds } from "../../compat/lambda-ids.js";
import { deployedListeners } from "../../compat/events/listeners.js";
import { functionView, lambdaView, matches, type ListFilter } from "../../compat/views.js";

type Acct = { acct: string };
const stringOrList = { type: "array", items: { type: "string", maxLength: 200 } } as const;

/** V1 requests carry `?v=1` (the client's apiVersion); V2 ones (LP-EventSource header) carry no `v`. */
function generation(request: FastifyRequest): Generation {
  return (request.query as { v?: unknown } | undefined)?.v === undefined ? "v2" : "v1";
}

/** The caller's X-Request-ID (what the client sends) becomes the event id a function sees. */
function requestId(request: FastifyRequest): string {
  const header = request.headers["x-request-id"];
  return typeof header === "string" && /^[\x21-\x7e]{1,200}$/.test(header) ? header : randomUUID();
}

function sendFailure(reply: FastifyReply, generation: Generation, failed: InvokeResult): FastifyReply {
  const { outcome, activation } = failed;
  if (outcome.status === "succeeded") throw new Error("sendFailure called for a success");
  if (outcome.headers) reply.headers(outcome.headers);
  if (activation) reply.header("x-runlet-activation-id", activation.id);
  const error = { code: outcome.code, message: outcome.message, activationId: activation?.id };
  return reply.code(httpStatusOf(outcome)).send(hostedErrorBody(generation, error));
}

/**
 * The hosted platform's invocation API (both generations, as its Node client `liveperson-functions-client`
 * sends it) over Runlet's dispatcher: `…/lambdas/{id}/invoke`, `…/events/{eventId}/invoke`,
 * `…/events/{eventId}/isImplemented`, `…/lambdas/` and `…/functions`. Errors come in the request's
 * generation (docs/migrating.md has the table). Registered in its own scope for that error handler.
 */
export async function compatRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const ids = new LambdaIds(platform.store, platform.catalog);
  const invoker = guard(platform, "invoker");
  const developer = guard(platform, "developer");
  const hostedAccounts = platform.config.hostedAccounts;
  const bodyLimit = platform.config.limits.syncPayloadBytes;

  // Before the guards (route hooks run after this scope's): a hosted account id names its Runlet account.
  app.addHook("onRequest", async (request) => {
    const params = request.params as Partial<Acct>;
    if (params.acct !== undefined && Object.hasOwn(hostedAccounts, params.acct)) {
      params.acct = hostedAccounts[params.acct];
    }
  });
  app.setErrorHandler((err, request, reply) => {
    const error = toRunletError(err);
    if (error.status >= 500) platform.log.error({ err, url: request.url }, "request failed");
    if (error.headers) reply.headers(error.headers);
    return reply
      .code(error.status)
      .type("application/json")
      .send(hostedErrorBody(generation(request), error));
  });

  const invokeQuery = {
    type: "object",
    properties: {
      v: { type: "string", maxLength: 10 },
      externalSystem: { type: "string", maxLength: 200 },
      skillId: { type: "string", maxLength: 200 },
    },
  } as const;

  const invokeFunction = async (
    request: FastifyRequest<{ Params: Acct & { id: string }; Body: unknown }>,
    reply: FastifyReply,
  ) => {
    const { acct, id } = request.params;
    const name = await ids.resolve(acct, id);
    const input = readHostedInput(request.body);
    const trace = incomingTrace(request.headers.traceparent);
    const result = await platform.dispatcher.invoke({
      kind: "http",
      account: acct,
      function: name,
      payload: input.payload,
      headers: input.headers,
      ...trace,
    });
    const { outcome, activation } = result;
    if (outcome.status !== "succeeded") return sendFailure(reply, generation(request), result);
    const body =
      outcome.answer.kind === "json" ? outcome.answer.body : JSON.stringify(activation?.result ?? null);
    if (activation) reply.header("x-runlet-activation-id", activation.id);
    return reply.code(200).type("application/json").send(body);
  };

  app.post<{ Params: Acct & { id: string }; Body: unknown }>(
    "/api/account/:acct/lambdas/:id/invoke",
    {
      preHandler: invoker,
      bodyLimit,
      schema: {
        summary:
          "Hosted-platform API: invoke a function by its uuid or name with {timestamp, headers: [{key, value}], payload} (?v=1: V1 errors, else V2)",
        querystring: invokeQuery,
      },
    },
    invokeFunction,
  );

  app.post<{ Params: Acct & { eventId: string }; Body: unknown }>(
    "/api/account/:acct/events/:eventId/invoke",
    {
      preHandler: invoker,
      bodyLimit,
      schema: {
        summary:
          "Hosted-platform API: run every deployed listener of the event in turn and answer their combined result",
        querystring: invokeQuery,
      },
    },
    async (request, reply) => {
      const { acct, eventId } = request.params;
      assertEventType(eventId, "eventId");
      const input = readHostedInput(request.body);
      const listeners = await platform.events.subscribers(acct, { type: eventId, payload: input.payload });
      const answer = await runEventChain(platform.dispatcher, acct, eventId, listeners, {
        ...input,
        requestId: requestId(request),
      });
      if (!answer.ok) return sendFailure(reply, generation(request), answer.failed);
      return reply.code(200).send(answer.result ?? null);
    },
  );

  app.get<{ Params: Acct & { eventId: string } }>(
    "/api/account/:acct/events/:eventId/isImplemented",
    {
      preHandler: invoker,
      schema: {
        summary: "Hosted-platform API: {implemented: true} when a deployed function listens to the event",
        querystring: invokeQuery,
      },
    },
    async (request) => {
      const { acct, eventId } = request.params;
      assertEventType(eventId, "eventId");
      const listeners = await deployedListeners(platform.store, platform.catalog, acct, eventId);
      return { implemented: listeners.length > 0 };
    },
  );

  const list = (view: typeof lambdaView | typeof functionView) =>
    async function (request: FastifyRequest<{ Params: Acct; Querystring: ListFilter }>) {
      const { acct } = request.params;
      const fns = await platform.store.functions.list(acct);
      const versions = await Promise.all(
        fns.map((fn) => platform.catalog.version(acct, fn.name, fn.deployedVersion ?? fn.latestVersion)),
      );
      return fns.flatMap((fn, i) => (matches(fn, versions[i], request.query) ? [view(fn, versions[i])] : []));
    };
  const listQuery = {
    type: "object",
    properties: {
      eventId: { type: "string", maxLength: 200 },
      state: stringOrList,
      functionName: { type: "string", maxLength: 200 },
      externalSystem: { type: "string", maxLength: 200 },
      userId: { type: "string", maxLength: 200 },
      v: { type: "string", maxLength: 10 },
    },
  } as const;
  for (const path of ["/api/account/:acct/lambdas/", "/api/account/:acct/lambdas"]) {
    app.get<{ Params: Acct; Querystring: ListFilter }>(
      path,
      {
        preHandler: developer,
        schema: {
          summary: "Hosted-platform API (V1): the account's functions as lambdas",
          querystring: listQuery,
        },
      },
      list(lambdaView),
    );
  }
  app.get<{ Params: Acct; Querystring: ListFilter }>(
    "/api/account/:acct/functions",
    {
      preHandler: developer,
      schema: { summary: "Hosted-platform API (V2): the account's functions", querystring: listQuery },
    },
    list(functionView),
  );
}
