import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { RunletError } from "../../errors.js";
import type { Platform } from "../../platform.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * GET /metrics with RUNLET_METRICS_TOKEN set: the bearer token must match (compared in constant time, as
 * digests, so neither its length nor its bytes leak through timing).
 */
function metricsGuard(token: string | undefined): (request: FastifyRequest) => Promise<void> {
  const want = token === undefined ? undefined : digest(token);
  return async (request) => {
    if (!want) return;
    const header = request.headers.authorization ?? "";
    const sent = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (sent !== undefined && timingSafeEqual(digest(sent), want)) return;
    throw new RunletError(
      "RUNLET_ERR_UNAUTHENTICATED",
      sent === undefined
        ? "GET /metrics needs Authorization: Bearer <RUNLET_METRICS_TOKEN> (set in Prometheus' authorization config)"
        : "GET /metrics: the bearer token is not this server's RUNLET_METRICS_TOKEN",
      { headers: { "www-authenticate": 'Bearer realm="runlet-metrics"' } },
    );
  };
}

export function healthRoutes(app: FastifyInstance, platform: Platform): void {
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get(
    "/metrics",
    { schema: { hide: true }, preHandler: metricsGuard(platform.config.metricsToken) },
    async (_request, reply) => {
      return reply.type(platform.metrics.registry.contentType).send(await platform.metrics.text());
    },
  );
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    // Each isolate lost to a fatal out-of-memory keeps its memory until the process exits (DESIGN §3):
    // past the limit the node asks to be restarted; it keeps serving meanwhile.
    const lost = platform.scheduler.lostIsolates;
    if (lost >= platform.config.limits.maxLostIsolates) {
      return reply.code(503).send({
        error: {
          code: "RUNLET_ERR_UNAVAILABLE",
          message:
            `${lost} isolates were lost to fatal out-of-memory errors and their memory stays until this ` +
            `process restarts (RUNLET_MAX_LOST_ISOLATES is ${platform.config.limits.maxLostIsolates}): restart it`,
        },
      });
    }
    try {
      await platform.store.ping();
      // Still ready without NATS (the node serves), but it says it hears other nodes only by polling.
      const changes = platform.changes.state();
      if (!changes.live) {
        return {
          status: "degraded",
          changes: "polling",
          message: `lost ${changes.transport} since ${new Date(changes.since).toISOString()}: other nodes' changes reach this node by polling the database every ${platform.config.cachePollMs} ms`,
        };
      }
      return { status: "ready", changes: changes.transport };
    } catch (err) {
      platform.log.warn({ err }, "readiness check failed");
      return reply
        .code(503)
        .send({ error: { code: "RUNLET_ERR_UNAVAILABLE", message: "the database does not answer" } });
    }
  });
}
