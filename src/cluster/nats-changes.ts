import { randomBytes } from "node:crypto";
import { connect, type NatsConnection } from "nats";
import type { Logger } from "pino";
import type { Change } from "../model/change.js";
import { parseChange, type ChangeChannel, type ChangeChannelState } from "./changes.js";

/**
 * The subject every node of a cluster publishes its changes on and listens to: named by the cluster's id
 * (stored in its database by the first node), so clusters sharing one NATS never hear each other.
 */
export function changesSubject(clusterId: string): string {
  return `runlet.cluster.${clusterId}.changes`;
}

/** Larger messages are never ours: a change names what changed, not its value. */
const MAX_MESSAGE_BYTES = 4096;

/**
 * The cluster channel on NATS core publish/subscribe: every node subscribes to one subject and hears the
 * others' changes within a network round trip. Chosen over PostgreSQL LISTEN/NOTIFY because every cluster
 * runs NATS already (triggers, the JetStream queue), it needs no connection held per node on the database
 * (NOTIFY holds a pooled connection forever and serialises commits on a global lock), and it keeps the
 * channel working while the database is slow. Core NATS is at most once: a node that misses a message
 * (disconnected, slow consumer) still re-reads the database every RUNLET_CACHE_POLL_MS; when its
 * connection comes back it drops every cache, since it cannot know what it missed.
 */
export class NatsChanges implements ChangeChannel {
  readonly node = randomBytes(8).toString("hex");
  #listeners: ((change: Change) => void)[] = [];
  #state: ChangeChannelState = { transport: "nats", live: true, since: Date.now() };
  #closed = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly subject: string,
    private readonly log: Logger,
  ) {}

  /** Connects (failing when NATS cannot be reached) and subscribes; reconnects on its own after that. */
  static async connect(url: string, clusterId: string, log: Logger): Promise<NatsChanges> {
    const nc = await connect({
      servers: url.split(",").map((s) => s.trim()),
      name: "runlet-changes",
      // A node never hears its own changes back (it applied them already).
      noEcho: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    const channel = new NatsChanges(nc, changesSubject(clusterId), log);
    channel.#listen();
    await nc.flush();
    return channel;
  }

  publish(change: Change): void {
    if (this.#closed) return;
    try {
      // While disconnected the client buffers it and sends it on reconnect.
      this.nc.publish(this.subject, JSON.stringify({ ...change, node: this.node }));
    } catch (err) {
      this.log.warn({ err, change }, "could not publish a change to the cluster; other nodes will poll");
    }
  }

  subscribe(listener: (change: Change) => void): void {
    this.#listeners.push(listener);
  }

  state(): ChangeChannelState {
    return { ...this.#state };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.nc.drain().catch(() => this.nc.close());
  }

  #deliver(change: Change): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.log.error({ err, change }, "applying a change from another node failed");
      }
    }
  }

  #listen(): void {
    this.nc.subscribe(this.subject, {
      callback: (err, msg) => {
        if (err) return this.log.warn({ err }, "cluster change subscription error");
        if (msg.data.length > MAX_MESSAGE_BYTES) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(new TextDecoder().decode(msg.data));
        } catch {
          return;
        }
        const change = parseChange(parsed);
        if (change && (parsed as { node?: unknown }).node !== this.node) this.#deliver(change);
      },
    });
    void (async () => {
      for await (const status of this.nc.status()) {
        if (this.#closed) return;
        if (status.type === "disconnect" && this.#state.live) {
          this.#state = { transport: "nats", live: false, since: Date.now() };
          this.log.warn(
            `lost NATS (${String(status.data)}): other nodes' changes now reach this node by polling the ` +
              "database (RUNLET_CACHE_POLL_MS) until it is back; /readyz says changes: polling",
          );
        } else if (status.type === "reconnect" && !this.#state.live) {
          this.#state = { transport: "nats", live: true, since: Date.now() };
          this.log.info(`NATS is back (${String(status.data)}): changes are pushed again; caches dropped`);
          this.#deliver({ kind: "everything" });
        }
      }
    })().catch(() => {});
  }
}
