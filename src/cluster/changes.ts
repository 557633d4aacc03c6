import type { Change } from "../model/change.js";

/** How a node hears of other nodes' changes, and whether it may be missing some right now. */
export interface ChangeChannelState {
  transport: "in-process" | "nats";
  /**
   * False while the transport is down: changes may be missed, and other nodes' changes reach this node
   * only when its caches poll the database again (RUNLET_CACHE_POLL_MS).
   */
  live: boolean;
  /** When `live` last changed (ms since epoch). */
  since: number;
}

/**
 * The cluster channel seam: every node publishes what it changed; every other node hears it and drops
 * its cached copy. Delivery is best effort (at most once): each cache also re-reads the database every
 * RUNLET_CACHE_POLL_MS, so a lost message costs that much staleness, never a wrong answer forever. When
 * the transport comes back after an outage, listeners get `{ kind: "everything" }`.
 */
export interface ChangeChannel {
  /** Tells every other node (never this one); does not wait. */
  publish(change: Change): void;
  /** Called with every change another node published. */
  subscribe(listener: (change: Change) => void): void;
  state(): ChangeChannelState;
  close(): Promise<void>;
}

/**
 * An in-process channel: the nodes that joined one hub hear each other (embedded mode has one node, so
 * it hears nothing; tests join several). Delivery is asynchronous, like a network's.
 */
export class ChangeHub {
  #members = new Set<HubMember>();

  join(): ChangeChannel {
    const member = new HubMember(this.#members);
    this.#members.add(member);
    return member;
  }
}

class HubMember implements ChangeChannel {
  #listeners: ((change: Change) => void)[] = [];
  readonly #since = Date.now();
  #closed = false;

  constructor(private readonly members: Set<HubMember>) {}

  publish(change: Change): void {
    if (this.#closed) return;
    const copy = JSON.stringify(change);
    for (const member of this.members) {
      if (member !== this) queueMicrotask(() => member.deliver(JSON.parse(copy) as Change));
    }
  }

  subscribe(listener: (change: Change) => void): void {
    this.#listeners.push(listener);
  }

  deliver(change: Change): void {
    if (!this.#closed) for (const listener of this.#listeners) listener(change);
  }

  state(): ChangeChannelState {
    return { transport: "in-process", live: true, since: this.#since };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.members.delete(this);
  }
}

const NAME = /^[A-Za-z0-9._-]{1,200}$/;

/** A change read off the wire, checked field by field; undefined for anything else (ignored). */
export function parseChange(value: unknown): Change | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { kind, account, name } = value as Record<string, unknown>;
  const named = (v: unknown): v is string => typeof v === "string" && NAME.test(v);
  switch (kind) {
    case "function":
      return named(account) && named(name) ? { kind, account, name } : undefined;
    case "account":
    case "keys":
    case "allowlist":
    case "quotas":
      return named(account) ? { kind, account } : undefined;
    case "signing-keys":
    case "everything":
      return { kind };
    default:
      return undefined;
  }
}
