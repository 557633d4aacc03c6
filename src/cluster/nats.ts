import { connect, type NatsConnection } from "nats";

/**
 * One NATS connection for the cluster's own use (the JetStream queue; later the change channel): the
 * servers of RUNLET_NATS_URL (comma-separated), reconnecting forever once it has connected. A node that
 * cannot reach NATS at start says so and which variable names it.
 */
export async function connectClusterNats(url: string, name = "runlet-cluster"): Promise<NatsConnection> {
  try {
    return await connect({
      servers: url.split(",").map((s) => s.trim()),
      name,
      maxReconnectAttempts: -1,
    });
  } catch (err) {
    throw new Error(`cannot reach NATS at ${url} (RUNLET_NATS_URL): ${String(err)}`, { cause: err });
  }
}
