import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { AsyncInvoker, Invoker } from "../model/invocation.js";
import type { Store } from "../store/store.js";
import type { DeployedVersions } from "./events.js";
import type { NatsTriggers } from "./nats.js";
import { ScheduleRunner } from "./schedules.js";
import { TriggerSync, type TriggerConsumer } from "./trigger-sync.js";

export interface TriggerDeps {
  config: Config;
  store: Store;
  catalog: DeployedVersions;
  dispatcher: Invoker;
  invoker: AsyncInvoker;
  log: Logger;
}

/** Schedules and subject triggers of one node, kept in step with the deployed functions. */
export class Triggers {
  readonly node = `node_${randomBytes(6).toString("hex")}`;
  readonly schedules: ScheduleRunner;
  /** Set once started when RUNLET_NATS_URL is configured. */
  nats: NatsTriggers | undefined;
  #sync: TriggerSync | undefined;

  constructor(private readonly deps: TriggerDeps) {
    this.schedules = new ScheduleRunner({
      repo: deps.store.triggers,
      invoker: deps.invoker,
      node: this.node,
      catchUp: deps.config.triggers.catchUp,
      log: deps.log,
    });
  }

  /** Connects to NATS if configured (failing start when unreachable), then arms what is deployed. */
  async start(): Promise<void> {
    const { config, store, catalog, dispatcher, log } = this.deps;
    const consumers: TriggerConsumer[] = [this.schedules];
    if (config.natsUrl !== undefined) {
      // Loaded on demand so a node without NATS never loads the client.
      const [{ connectNats }, { NatsTriggers }] = await Promise.all([
        import("./nats-connect.js"),
        import("./nats.js"),
      ]);
      const broker = await connectNats(config.natsUrl, (err) =>
        log.error({ err }, "NATS subscription error"),
      );
      this.nats = new NatsTriggers(broker, dispatcher, log);
      consumers.push(this.nats);
    }
    const sync = new TriggerSync(store.triggers, consumers, config.triggers.syncMs, (err) =>
      log.error({ err }, "syncing schedules and subscriptions failed; will retry"),
    );
    this.#sync = sync;
    catalog.onChange(() => void sync.changed());
    await sync.start();
  }

  /** Re-reads what is deployed now; resolves when timers and subscriptions match it. */
  settled(): Promise<void> {
    return this.#sync?.changed() ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.#sync?.close();
    await this.schedules.close();
    await this.nats?.close();
  }
}
