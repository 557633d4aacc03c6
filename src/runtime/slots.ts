/** A counting semaphore with a bounded waiting line (compiles per account and per node). */
export class Slots {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {
    this.#free = limit;
  }

  /** Resolves true once a slot is taken; false at once when `maxWaiting` callers already wait. */
  async acquire(): Promise<boolean> {
    if (this.#free > 0) {
      this.#free -= 1;
      return true;
    }
    if (this.#waiting.length >= this.maxWaiting) return false;
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    return true;
  }

  /** Hands the slot to the next in line, else frees it. */
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }

  /** Nobody holds a slot or waits for one. */
  get idle(): boolean {
    return this.#free === this.limit && this.#waiting.length === 0;
  }
}
