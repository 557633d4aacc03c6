import type { Logger } from "pino";
import { ConfigError, type Config } from "../config.js";
import { ChangeHub, type ChangeChannel } from "./changes.js";

/**
 * The node's cluster channel: NATS when RUNLET_NATS_URL is set (a node that cannot reach it refuses to
 * start, naming it), else in-process. On PostgreSQL without NATS the node says once that other nodes'
 * changes reach it only by polling.
 */
export async function openChangeChannel(
  config: Pick<Config, "natsUrl" | "databaseUrl" | "cachePollMs">,
  clusterId: () => Promise<string>,
  log: Logger,
): Promise<ChangeChannel> {
  if (config.natsUrl === undefined) {
    if (/^postgres(ql)?:/.test(config.databaseUrl)) {
      log.warn(
        `RUNLET_NATS_URL is unset: if other nodes share this database, their changes reach this one only ` +
          `by polling (every ${config.cachePollMs} ms, RUNLET_CACHE_POLL_MS); set RUNLET_NATS_URL on every node`,
      );
    }
    return new ChangeHub().join();
  }
  // Loaded on demand so a node without NATS never loads the client.
  const [{ NatsChanges }, id] = await Promise.all([import("./nats-changes.js"), clusterId()]);
  try {
    return await NatsChanges.connect(config.natsUrl, id, log);
  } catch (err) {
    throw new ConfigError(
      `cannot reach NATS at ${config.natsUrl} (RUNLET_NATS_URL): ${(err as Error).message ?? String(err)}; ` +
        `start NATS or fix RUNLET_NATS_URL`,
    );
  }
}
