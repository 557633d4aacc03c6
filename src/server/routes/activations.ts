import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import { FINAL_STATUSES, type ActivationStatus } from "../../outcomes.js";
import type { Platform } from "../../platform.js";
import { TRIGGERS, type Activation, type Trigger } from "../../model/activation.js";
import { guard } from "../guard.js";
import { parseTime } from "../query-time.js";
import { accountParams, errorResponses, functionParams, pageProperties, sinceProperty } from "../schemas.js";

export function activationView(a: Activation, withLogs: boolean) {
  return {
    id: a.id,
    function: a.function,
    version: a.version,
    trigger: a.trigger,
    status: a.status,
    result: a.result,
    error: a.error,
    ...(withLogs
      ? {
          logs: a.logs.map((l) => ({ ...l, t: new Date(l.t).toISOString() })),
          logsTruncated: a.logsTruncated,
        }
      : {}),
    startedAt: new Date(a.startedAt).toISOString(),
    durationMs: a.durationMs,
    billedMs: a.billedMs,
    memoryMb: a.memoryMb,
    coldStart: a.coldStart,
    attempts: a.attempts ?? 1,
    ...(a.callback ? { callback: a.callback } : {}),
    ...(a.parentId ? { parentId: a.parentId } : {}),
    ...(a.traceparent ? { traceparent: a.traceparent } : {}),
    ...(a.steps ? { steps: a.steps } : {}),
    ...(a.faults ? { faults: a.faults } : {}),
  };
}

const STATUSES = [...FINAL_STATUSES, "queued", "running"];

export function activationRoutes(app: FastifyInstance, platform: Platform): void {
  const developer = guard(platform, "developer");

  app.get<{
    Params: { acct: string };
    Querystring: {
      function?: string;
      status?: ActivationStatus;
      trigger?: Trigger;
      version?: number;
      parentId?: string;
      since?: string;
      until?: string;
      limit: number;
      before?: string;
    };
  }>(
    "/v1/accounts/:acct/activations",
    {
      preHandler: developer,
      schema: {
        summary:
          "List activations, newest first; filter by function, status, trigger, version, time range (since ≤ startedAt < until) or parentId (the activations one invoked)",
        params: accountParams,
        querystring: {
          type: "object",
          properties: {
            function: { type: "string", maxLength: 63 },
            status: { type: "string", enum: STATUSES },
            trigger: { type: "string", enum: [...TRIGGERS] },
            version: { type: "integer", minimum: 1 },
            parentId: { type: "string", maxLength: 64 },
            since: sinceProperty,
            until: sinceProperty,
            ...pageProperties,
          },
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const q = request.query;
      const since = parseTime("since", q.since);
      const until = parseTime("until", q.until);
      if (since !== undefined && until !== undefined && until <= since) {
        throw new RunletError(
          "RUNLET_ERR_BAD_REQUEST",
          `until=${q.until} is not after since=${q.since}: send an until later than since`,
        );
      }
      const list = await platform.activations.list({
        account: request.params.acct,
        limit: q.limit,
        ...(q.function ? { function: q.function } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.trigger ? { trigger: q.trigger } : {}),
        ...(q.version !== undefined ? { version: q.version } : {}),
        ...(q.parentId ? { parentId: q.parentId } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(q.before ? { before: q.before } : {}),
      });
      const next = list.length === q.limit ? list[list.length - 1]?.id : undefined;
      return { activations: list.map((a) => activationView(a, false)), ...(next ? { next } : {}) };
    },
  );

  app.get<{ Params: { acct: string; id: string } }>(
    "/v1/accounts/:acct/activations/:id",
    {
      preHandler: developer,
      schema: {
        summary: "Read one activation, with its logs",
        params: {
          ...accountParams,
          properties: { ...accountParams.properties, id: { type: "string", maxLength: 64 } },
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const activation = await platform.activations.get(request.params.acct, request.params.id);
      if (!activation) {
        throw new RunletError(
          "RUNLET_ERR_ACTIVATION_NOT_FOUND",
          `activation ${request.params.id} does not exist in this account`,
        );
      }
      return activationView(activation, true);
    },
  );

  app.get<{
    Params: { acct: string; name: string };
    Querystring: { limit: number; since?: string; follow?: boolean };
  }>(
    "/v1/accounts/:acct/functions/:name/logs",
    {
      preHandler: developer,
      schema: {
        summary: "Log lines of a function's recent activations, oldest first; ?follow=true streams (SSE)",
        params: functionParams,
        querystring: {
          type: "object",
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 10_000, default: 200 },
            since: { type: "string", maxLength: 40 },
            follow: { type: "boolean" },
          },
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request, reply) => {
      const { acct, name } = request.params;
      await platform.functions.require(acct, name);
      const since = parseTime("since", request.query.since);
      const recent = await platform.activations.list({
        account: acct,
        function: name,
        limit: Math.min(1000, request.query.limit),
        ...(since !== undefined ? { since } : {}),
      });
      const lines = recent
        .reverse()
        .flatMap((a) =>
          a.logs.map((l) => ({
            activationId: a.id,
            t: new Date(l.t).toISOString(),
            level: l.level,
            msg: l.msg,
          })),
        )
        .slice(-request.query.limit);
      if (!request.query.follow) return { logs: lines };

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
      for (const line of lines) raw.write(`data: ${JSON.stringify(line)}\n\n`);
      const onActivation = (a: Activation) => {
        if (a.account !== acct || a.function !== name) return;
        for (const l of a.logs) {
          raw.write(
            `data: ${JSON.stringify({ activationId: a.id, t: new Date(l.t).toISOString(), level: l.level, msg: l.msg })}\n\n`,
          );
        }
      };
      const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), 15_000);
      platform.activations.on("activation", onActivation);
      request.raw.on("close", () => {
        clearInterval(keepAlive);
        platform.activations.off("activation", onActivation);
      });
    },
  );
}
