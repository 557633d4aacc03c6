// DOMException, Event, EventTarget, AbortController and AbortSignal: what fetch cancellation needs.

const DOM_CODES: Record<string, number> = {
  IndexSizeError: 1,
  NotFoundError: 8,
  NotSupportedError: 9,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  QuotaExceededError: 22,
  TimeoutError: 23,
  DataCloneError: 25,
};

export class DOMException extends Error {
  readonly #name: string;
  constructor(message = "", name = "Error") {
    super(String(message));
    this.#name = String(name);
  }
  override get name(): string {
    return this.#name;
  }
  get code(): number {
    return DOM_CODES[this.#name] ?? 0;
  }
}

export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
}

export class Event {
  readonly type: string;
  readonly bubbles: boolean;
  readonly cancelable: boolean;
  readonly timeStamp = Date.now();
  defaultPrevented = false;
  target: EventTarget | null = null;
  currentTarget: EventTarget | null = null;
  #stopped = false;

  constructor(type: string, init: EventInit = {}) {
    if (arguments.length === 0) throw new TypeError("Event: the type is required");
    this.type = String(type);
    this.bubbles = Boolean(init.bubbles);
    this.cancelable = Boolean(init.cancelable);
  }
  preventDefault(): void {
    if (this.cancelable) this.defaultPrevented = true;
  }
  stopImmediatePropagation(): void {
    this.#stopped = true;
  }
  stopPropagation(): void {}
  /** Internal: whether stopImmediatePropagation was called. */
  get _stopped(): boolean {
    return this.#stopped;
  }
}

type Listener = ((event: Event) => void) | { handleEvent(event: Event): void };
interface Registration {
  listener: Listener;
  once: boolean;
}
interface ListenerOptions {
  once?: boolean;
  signal?: AbortSignal;
}

export class EventTarget {
  #listeners = new Map<string, Registration[]>();

  addEventListener(type: string, listener: Listener | null, options?: boolean | ListenerOptions): void {
    if (!listener) return;
    const opts = typeof options === "object" && options !== null ? options : {};
    if (opts.signal?.aborted) return;
    const list = this.#listeners.get(type) ?? [];
    if (list.some((r) => r.listener === listener)) return;
    list.push({ listener, once: Boolean(opts.once) });
    this.#listeners.set(type, list);
    opts.signal?.addEventListener("abort", () => this.removeEventListener(type, listener));
  }
  removeEventListener(type: string, listener: Listener | null): void {
    const list = this.#listeners.get(type);
    if (!list || !listener) return;
    const index = list.findIndex((r) => r.listener === listener);
    if (index >= 0) list.splice(index, 1);
  }
  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError("dispatchEvent: the argument must be an Event");
    event.target = this;
    event.currentTarget = this;
    for (const registration of [...(this.#listeners.get(event.type) ?? [])]) {
      if (registration.once) this.removeEventListener(event.type, registration.listener);
      try {
        const { listener } = registration;
        if (typeof listener === "function") listener.call(this, event);
        else listener.handleEvent(event);
      } catch (err) {
        reportError(err);
      }
      if (event._stopped) break;
    }
    event.currentTarget = null;
    return !event.defaultPrevented;
  }
}

function reportError(err: unknown): void {
  const log = (globalThis as { console?: { error(...args: unknown[]): void } }).console;
  log?.error("Uncaught error in event listener:", err);
}

let constructing = false;

export class AbortSignal extends EventTarget {
  #aborted = false;
  #reason: unknown = undefined;
  onabort: ((event: Event) => void) | null = null;

  constructor() {
    if (!constructing) throw new TypeError("Illegal constructor: use new AbortController().signal");
    super();
  }
  get aborted(): boolean {
    return this.#aborted;
  }
  get reason(): unknown {
    return this.#reason;
  }
  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }
  /** Internal: signal abort. */
  _abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason =
      reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
    const event = new Event("abort");
    this.onabort?.call(this, event);
    this.dispatchEvent(event);
  }
  static abort(reason?: unknown): AbortSignal {
    const signal = newSignal();
    signal._abort(reason);
    return signal;
  }
  static timeout(ms: number): AbortSignal {
    const signal = newSignal();
    (globalThis as unknown as { setTimeout(fn: () => void, ms: number): number }).setTimeout(
      () => signal._abort(new DOMException("The operation timed out", "TimeoutError")),
      Number(ms),
    );
    return signal;
  }
  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const signal = newSignal();
    for (const source of signals) {
      if (source.aborted) {
        signal._abort(source.reason);
        break;
      }
      source.addEventListener("abort", () => signal._abort(source.reason), { once: true });
    }
    return signal;
  }
}

function newSignal(): AbortSignal {
  constructing = true;
  try {
    return new AbortSignal();
  } finally {
    constructing = false;
  }
}

export class AbortController {
  readonly signal = newSignal();
  abort(reason?: unknown): void {
    this.signal._abort(reason);
  }
}
