import type { VersionRecord } from "../model/function.js";
import type { TriggerRepository } from "../store/store.js";

/** Something that keeps timers or subscriptions in step with the deployed functions (schedules, NATS). */
export interface TriggerConsumer {
  /** Called with every deployed version that has schedules or queues; arm the new, drop the gone. */
  reconcile(deployed: VersionRecord[]): Promise<void>;
}

/**
 * Keeps trigger consumers in step with what is deployed: at once when this node deploys, undeploys or
 * deletes (`changed()`), and every `syncMs` so that other nodes' changes reach this one too.
 */
export class TriggerSync {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;

  constructor(
    private readonly repo: TriggerRepository,
    private readonly consumers: readonly TriggerConsumer[],
    private readonly syncMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** The first sync, awaited so a node is armed before it serves; then the periodic one. */
  async start(): Promise<void> {
    await this.changed();
    this.#schedule();
  }

  /**
   * Re-reads the deployed triggers; resolves once a sync that started after this call has finished, so a
   * deploy answers only when its schedules and subscriptions are live. Calls made during a sync coalesce.
   */
  changed(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#again = true;
    this.#running ??= this.#loop();
    return this.#running;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #loop(): Promise<void> {
    try {
      while (this.#again && !this.#closed) {
        this.#again = false;
        try {
          const deployed = await this.repo.deployed();
          for (const consumer of this.consumers) if (!this.#closed) await consumer.reconcile(deployed);
        } catch (err) {
          this.onError(err);
        }
      }
    } finally {
      // No await between the loop's last check and here, so a change() in between cannot be missed.
      this.#running = undefined;
    }
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.changed().finally(() => this.#schedule());
    }, this.syncMs);
    this.#timer.unref();
  }
}
