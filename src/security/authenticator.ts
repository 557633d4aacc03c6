import { RunletError } from "../errors.js";
import type { Role } from "../store/records.js";
import type { Store } from "../store/store.js";
import { hashKey, roleAllows, safeEqual } from "./api-keys.js";

export type Principal = { kind: "key"; account: string; role: Role; keyId: string } | { kind: "operator" };

/**
 * Turns a bearer token into a principal and checks it against an account and a role, in one place.
 * Key lookups are cached for `ttlMs` so the hot path makes no database round trip; revocations on
 * this node apply at once, on other nodes within the TTL. Last-used times are written in batches.
 */
export class Authenticator {
  #cache = new Map<string, { principal: Principal | null; at: number }>();
  #used = new Map<string, number>();
  #flusher: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly operatorKey: string | undefined,
    private readonly ttlMs = 5000,
  ) {
    this.#flusher = setInterval(() => void this.flushUsage(), 10_000);
    this.#flusher.unref();
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) {
      throw new RunletError(
        "RUNLET_ERR_UNAUTHENTICATED",
        authorization
          ? "the Authorization header must be 'Bearer <key>'"
          : "no API key: send Authorization: Bearer <key>",
      );
    }
    const token = match[1]!;
    if (this.operatorKey && safeEqual(token, this.operatorKey)) return { kind: "operator" };
    const hash = hashKey(token);
    const now = Date.now();
    let hit = this.#cache.get(hash);
    if (!hit || now - hit.at > this.ttlMs) {
      const key = await this.store.keys.findByHash(hash);
      const principal: Principal | null =
        key && key.revokedAt === null
          ? { kind: "key", account: key.account, role: key.role, keyId: key.id }
          : null;
      hit = { principal, at: now };
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(hash, hit);
    }
    if (!hit.principal)
      throw new RunletError("RUNLET_ERR_UNAUTHENTICATED", "the API key is unknown or revoked");
    if (hit.principal.kind === "key") this.#used.set(hit.principal.keyId, now);
    return hit.principal;
  }

  /** Throws 403 unless the principal may act on `account` with at least `role`. */
  authorize(principal: Principal, account: string, role: Role): void {
    if (principal.kind === "operator") {
      throw new RunletError(
        "RUNLET_ERR_FORBIDDEN",
        "the operator key manages accounts only; use a key of the account",
      );
    }
    if (principal.account !== account) {
      throw new RunletError("RUNLET_ERR_FORBIDDEN", `this key belongs to another account, not ${account}`);
    }
    if (!roleAllows(principal.role, role)) {
      throw new RunletError(
        "RUNLET_ERR_FORBIDDEN",
        `this needs the ${role} role; the key has ${principal.role}`,
      );
    }
  }

  requireOperator(principal: Principal): void {
    if (principal.kind !== "operator") {
      throw new RunletError("RUNLET_ERR_FORBIDDEN", "this needs the operator key (RUNLET_OPERATOR_KEY)");
    }
  }

  /** Drops cached lookups (after a key is revoked on this node). */
  forget(): void {
    this.#cache.clear();
  }

  async flushUsage(): Promise<void> {
    const used = [...this.#used];
    this.#used.clear();
    for (const [id, at] of used) await this.store.keys.touch(id, at);
  }

  close(): void {
    clearInterval(this.#flusher);
  }
}
