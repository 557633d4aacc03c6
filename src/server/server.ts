import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { createServer } from "node:http";
import { fastInvoke } from "./fast-invoke.js";
import type { Platform } from "../platform.js";
import { toRunletError } from "./errors.js";
import { accountRoutes } from "./routes/accounts.js";
import { auditHook, auditRoutes } from "./routes/audit.js";
import { oauthRoutes, signingKeyRoutes } from "./routes/oauth.js";
import { trackAccess } from "./guard.js";
import { allowlistRoutes } from "./routes/allowlist.js";
import { faultRoutes } from "./routes/faults.js";
import { replayRoutes } from "./routes/replay.js";
import { kvRoutes } from "./routes/kv.js";
import { secretRoutes } from "./routes/secrets.js";
import { activationRoutes } from "./routes/activations.js";
import { dlqRoutes } from "./routes/dlq.js";
import { eventRoutes } from "./routes/events.js";
import { rolloutRoutes } from "./routes/rollouts.js";
import { idlePolicyRoutes } from "./routes/idle.js";
import { traceRoutes } from "./routes/traces.js";
import { functionRoutes } from "./routes/functions.js";
import { healthRoutes } from "./routes/health.js";
import { invokeRoutes } from "./routes/invoke.js";
import { usageRoutes } from "./routes/usage.js";
import { budgetRoutes } from "./routes/budgets.js";
import { webRoutes } from "./routes/web.js";
import { RunletError } from "../errors.js";
import { compatRoutes } from "./routes/hosted.js";
import { metricsRoutes } from "./routes/metrics.js";
import { statsRoutes } from "./routes/stats.js";
import { consoleRoutes } from "./routes/console.js";

/** The Fastify gateway: thin routes that parse, authorize and hand to the platform. */
export async function buildServer(platform: Platform): Promise<FastifyInstance> {
  const { limits } = platform.config;
  const { auth, catalog, quotas, dispatcher, log } = platform;
  const invoke = {
    auth,
    catalog,
    quotas,
    dispatcher,
    async: platform.async,
    limits,
    log,
    faults: platform.faults,
  };
  const fast = fastInvoke(invoke);
  const app = Fastify({
    serverFactory: (handler) =>
      createServer((req, res) => {
        if (!fast(req, res)) handler(req, res);
      }),
    logger: false,
    bodyLimit: Math.max(limits.syncPayloadBytes, limits.codeBytes * 2),
    ajv: { customOptions: { coerceTypes: "array", removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
    // Errors Fastify's router answers itself (bad percent-encoding, over-long path segments): the one shape too.
    frameworkErrors: (err, _request, reply) => {
      const error = new RunletError(
        "RUNLET_ERR_BAD_REQUEST",
        err.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? "a path segment is too long; names are at most 63 characters"
          : "the URL is not valid: check its percent-encoding",
      );
      return (reply as FastifyReply).code(error.status).type("application/json").send(error.toBody());
    },
    // Event types in …/events/{type} may be 200 chars (Fastify refuses params over 100 by default).
    routerOptions: { maxParamLength: 256 },
    forceCloseConnections: true,
  });

  trackAccess(app);
  auditHook(app, platform);

  await app.register(swagger, {
    openapi: {
      info: {
        title: "Runlet API",
        version: "1",
        description: "Self-hosted Function-as-a-Service (see README)",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });

  // JSON routes take JSON only (web functions, in their own scope, take anything).
  app.removeContentTypeParser("text/plain");

  app.setErrorHandler((err, request, reply) => {
    const error = toRunletError(err);
    if (error.status >= 500) platform.log.error({ err, url: request.url }, "request failed");
    if (error.headers) reply.headers(error.headers);
    return reply.code(error.status).type("application/json").send(error.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new RunletError(
      "RUNLET_ERR_ROUTE_NOT_FOUND",
      `no route ${request.method} ${request.url.split("?")[0]}; see /openapi.json`,
    );
    return reply.code(404).send(error.toBody());
  });

  healthRoutes(app, platform);
  accountRoutes(app, platform);
  auditRoutes(app, platform);
  signingKeyRoutes(app, platform);
  await app.register(async (scope) => oauthRoutes(scope, platform));
  functionRoutes(app, platform);
  rolloutRoutes(app, platform);
  idlePolicyRoutes(app, platform);
  await app.register(async (scope) => invokeRoutes(scope, invoke));
  activationRoutes(app, platform);
  dlqRoutes(app, platform);
  usageRoutes(app, platform);
  budgetRoutes(app, platform);
  secretRoutes(app, platform);
  kvRoutes(app, platform);
  allowlistRoutes(app, platform);
  faultRoutes(app, platform);
  replayRoutes(app, platform);
  await app.register(async (scope) => eventRoutes(scope, platform));
  await app.register(async (scope) => webRoutes(scope, platform));
  await app.register(async (scope) => compatRoutes(scope, platform));
  metricsRoutes(app, platform);
  statsRoutes(app, platform);
  traceRoutes(app, platform);
  await app.register(async (scope) => consoleRoutes(scope));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}
