import type { Config } from "../config.js";
import { connectClusterNats } from "../cluster/nats.js";
import type { JobQueue } from "../model/job.js";
import type { Store } from "../store/store.js";
import { JetStreamQueue } from "./jetstream-queue.js";

export interface OpenedQueue {
  queue: JobQueue;
  close(): Promise<void>;
}

/** The JobQueue RUNLET_QUEUE names: the store's own (default) or JetStream's, on its own NATS connection. */
export async function openJobQueue(config: Config, store: Store): Promise<OpenedQueue> {
  if (config.queue.backend === "store") return { queue: store.queue, close: async () => {} };
  const url = config.natsUrl;
  if (url === undefined) throw new Error("RUNLET_QUEUE=jetstream needs RUNLET_NATS_URL (nats://host:4222)");
  const nc = await connectClusterNats(url, "runlet-queue");
  try {
    const { prefix, replicas, ackWaitMs, maxDeliver } = config.queue.jetstream;
    const queue = await JetStreamQueue.open(nc, {
      prefix,
      replicas,
      ackWaitMs,
      maxDeliver,
      writeActivations: (rows) => store.activations.insertMany(rows),
    });
    return {
      queue,
      async close() {
        await queue.close();
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (err) {
    await nc.close();
    throw new Error(`setting up the JetStream queue failed: ${String(err)}`, { cause: err });
  }
}
