import type { FastifyInstance } from "fastify";
import type { Platform } from "../../platform.js";

export function healthRoutes(app: FastifyInstance, platform: Platform): void {
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(platform.metrics.registry.contentType).send(await platform.metrics.text());
  });
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
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
