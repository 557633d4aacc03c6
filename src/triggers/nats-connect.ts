import { connect, type Msg } from "nats";
import type { Broker, BrokerMessage } from "./broker.js";

function toMessage(msg: Msg): BrokerMessage {
  const headers: [string, string][] = [];
  if (msg.headers) {
    for (const [name, values] of msg.headers) {
      // Lower-case like HTTP headers; x-runlet-* are the platform's to set, never the publisher's.
      const key = name.toLowerCase();
      if (!key.startsWith("x-runlet-")) for (const value of values) headers.push([key, value]);
    }
  }
  return {
    subject: msg.subject,
    data: msg.data,
    headers,
    reply: msg.reply || undefined,
    respond: (data) => void msg.respond(data),
  };
}

/** Connects to NATS (`nats://host:4222`, several comma-separated); reconnects on its own after that. */
export async function connectNats(url: string, onError: (err: unknown) => void): Promise<Broker> {
  const nc = await connect({
    servers: url.split(",").map((s) => s.trim()),
    name: "runlet",
    maxReconnectAttempts: -1,
  }).catch((err: unknown) => {
    throw new Error(`cannot reach NATS at ${url} (RUNLET_NATS_URL): ${String(err)}`, { cause: err });
  });
  return {
    subscribe(subject, queue, handler) {
      const sub = nc.subscribe(subject, {
        queue,
        callback: (err, msg) => {
          if (err) onError(err);
          else handler(toMessage(msg));
        },
      });
      return { unsubscribe: () => sub.unsubscribe() };
    },
    flush: () => nc.flush(),
    async close() {
      await nc.drain().catch(() => nc.close());
    },
  };
}
