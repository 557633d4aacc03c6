import type { Caller } from "../runtime/host-ops.js";

/**
 * At most this many ctx.invoke calls per invocation (as for outbound fetches, DESIGN §5).
 */
export const MAX_INVOKES_PER_ACTIVATION = 50;

/** A chain idle this long is forgotten (its count starts again). */
const CHAIN_IDLE_MS = 3_600_000;

interface Count {
  n: number;
  /** When the entry may be dropped. */
  until: number;
}

/**
 * Counts ctx.invoke calls per running activation and per chain (every invocation descending from one
 * outside call; counted per node), and says which limit a call would pass. The depth limit alone would let
 * a function that async-invokes two copies of itself queue 2^depth jobs; the chain limit
 * (RUNLET_MAX_INVOKES_PER_CHAIN) keeps such a fan-out bomb to a fixed number.
 *
 * Both are keyed by the caller's account and by ids the host minted (the activation id; the chain's first
 * activation id), never by a trace id a client sent: with those, account A could send B's traceparent and
 * spend B's chain budget.
 */
export class InvokeBudget {
  #activations = new Map<string, Count>();
  #chains = new Map<string, Count>();

  constructor(private readonly perChain: number) {}

  /** Counts the call; returns the limit it exceeds, if any (the call must then be refused). */
  take(caller: Caller, now = Date.now()): "activation" | "chain" | undefined {
    const own = bump(this.#activations, `${caller.account} ${caller.activationId}`, caller.deadline, now);
    if (own > MAX_INVOKES_PER_ACTIVATION) return "activation";
    if (bump(this.#chains, `${caller.account} ${caller.chain}`, now + CHAIN_IDLE_MS, now) > this.perChain) {
      return "chain";
    }
    return undefined;
  }
}

function bump(counts: Map<string, Count>, key: string, until: number, now: number): number {
  const entry = counts.get(key);
  if (entry) {
    entry.until = Math.max(entry.until, until);
    return ++entry.n;
  }
  if (counts.size >= 10_000) for (const [k, e] of counts) if (e.until < now) counts.delete(k);
  counts.set(key, { n: 1, until });
  return 1;
}
