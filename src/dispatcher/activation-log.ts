import { EventEmitter } from "node:events";
import type { Activation, ActivationFilter } from "../store/records.js";
import type { Store } from "../store/store.js";

/**
 * Writes activation records in batches, off the invocation's critical path (DESIGN §3 "the hot path").
 * Reads see pending records too, so a caller can read an activation right after its response.
 * Emits "activation" for every record (live log streaming).
 */
export class ActivationLog extends EventEmitter<{ activation: [Activation] }> {
  #pending = new Map<string, Activation>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly onError: (err: unknown) => void,
    private readonly flushEveryMs = 20,
    private readonly maxBatch = 1000,
  ) {
    super();
  }

  record(activation: Activation): void {
    this.#pending.set(activation.id, activation);
    this.emit("activation", activation);
    if (this.#pending.size >= this.maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.flushEveryMs);
  }

  /** Writes everything pending; resolves once it is stored. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return this.#flushing;
    const batch = [...this.#pending.values()];
    this.#flushing = this.#flushing
      .then(() => this.store.activations.insertMany(batch))
      .then(
        () => {
          for (const activation of batch) {
            if (this.#pending.get(activation.id) === activation) this.#pending.delete(activation.id);
          }
        },
        (err: unknown) => {
          // Keep them pending (reads still see them) and try again shortly.
          this.onError(err);
          this.#timer ??= setTimeout(() => void this.flush(), 1000);
        },
      );
    return this.#flushing;
  }

  async get(account: string, id: string): Promise<Activation | undefined> {
    const pending = this.#pending.get(id);
    if (pending) return pending.account === account ? pending : undefined;
    return this.store.activations.get(account, id);
  }

  async list(filter: ActivationFilter): Promise<Activation[]> {
    await this.flush();
    return this.store.activations.list(filter);
  }
}
