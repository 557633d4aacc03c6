import { RunletError } from "../errors.js";
import type { PublishChange } from "../model/change.js";
import type { Role } from "../model/account.js";
import type { Store } from "../store/store.js";
import { hashKey, roleAllows, safeEqual } from "./api-keys.js";
import { RateLimiter, type RateLimit } from "./rate-limit.js";
import { looksLikeJwt, type TokenIssuer } from "./tokens.js";

export type Principal =
  | {
      kind: "key";
      account: string;
      role: Role;
      keyId: string;
      /** Set when the request came with an access token (OAuth2) rather than the key itself. */
      via?: "token";
    }
  | { kind: "operator" };

export interface AuthenticatorOptions {
  /**
   * How long a key lookup (and a token's key-is-live check) is trusted before the database is asked
   * again: the fallback for a revocation message from another node that never arrived.
   */
  ttlMs?: number;
  tokens?: TokenIssuer;
  rateLimit?: RateLimit;
  /** A limiter the cluster shares (src/security/shared-rate-limit.ts) instead of this node's own. */
  limiter?: { take(key: string): void | Promise<void> };
}

/** `key:<id>`, `token:<key id>` or `operator`: how the audit log names whoever made a request. */
export function actorOf(principal: Principal | undefined): string {
  if (!principal) return "system";
  if (principal.kind === "operator") return "operator";
  return `${principal.via ?? "key"}:${principal.keyId}`;
}

/**
 * Turns a bearer token (an API key, an access token, or the operator key) into a principal and checks it
 * against an account and a role, in one place. Key lookups are cached for `ttlMs` so the hot path makes no
 * database round trip; a revocation applies at once on this node and, through the cluster channel
 * (`publish` here, `forgetRemote` there), on the others; within the TTL if that message is lost. An access
 * token is only as good as its key: it stops working when the key is revoked. Last-used times are written
 * in batches; every key is rate limited.
 */
export class Authenticator {
  #cache = new Map<string, { principal: Principal | null; at: number }>();
  #liveKeys = new Map<string, { role: Role | null; at: number }>();
  #tokens = new Map<string, { principal: Principal; expiresAt: number }>();
  #used = new Map<string, number>();
  /** Bumped by every forget, so a lookup that raced a revocation is not cached. */
  #generation = 0;
  #flusher: NodeJS.Timeout;
  /** Tells the cluster about this node's revocations (set by the platform). */
  publish: PublishChange | undefined;
  readonly #ttlMs: number;
  readonly #issuer: TokenIssuer | undefined;
  readonly #limiter: { take(key: string): void | Promise<void> } | undefined;

  constructor(
    private readonly store: Store,
    private readonly operatorKey: string | undefined,
    options: AuthenticatorOptions = {},
  ) {
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#issuer = options.tokens;
    this.#limiter = options.limiter ?? (options.rateLimit ? new RateLimiter(options.rateLimit) : undefined);
    this.#flusher = setInterval(() => void this.flushUsage(), 10_000);
    this.#flusher.unref();
  }

  get tokens(): TokenIssuer | undefined {
    return this.#issuer;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) {
      throw new RunletError(
        "RUNLET_ERR_UNAUTHENTICATED",
        authorization
          ? "the Authorization header must be 'Bearer <key or access token>'"
          : "no API key: send Authorization: Bearer <key>",
      );
    }
    const token = match[1]!;
    if (this.operatorKey && safeEqual(token, this.operatorKey)) return { kind: "operator" };
    const principal = looksLikeJwt(token) ? await this.#fromToken(token) : await this.#fromKey(token);
    if (principal.kind === "key") {
      await this.#limiter?.take(principal.keyId);
      this.#used.set(principal.keyId, Date.now());
    }
    return principal;
  }

  /** Checks an API key and secret pair (OAuth2 client credentials); undefined if they do not match a live key. */
  async checkClient(keyId: string, secret: string): Promise<{ account: string; role: Role } | undefined> {
    const key = await this.store.keys.findByHash(hashKey(secret));
    if (!key || key.revokedAt !== null || !safeEqual(key.id, keyId)) return undefined;
    return { account: key.account, role: key.role };
  }

  async #fromKey(token: string): Promise<Principal> {
    const hash = hashKey(token);
    const now = Date.now();
    let hit = this.#cache.get(hash);
    if (!hit || now - hit.at > this.#ttlMs) {
      const generation = this.#generation;
      const key = await this.store.keys.findByHash(hash);
      const principal: Principal | null =
        key && key.revokedAt === null
          ? { kind: "key", account: key.account, role: key.role, keyId: key.id }
          : null;
      hit = { principal, at: now };
      if (generation === this.#generation) {
        if (this.#cache.size > 10_000) this.#cache.clear();
        this.#cache.set(hash, hit);
      }
    }
    if (!hit.principal)
      throw new RunletError("RUNLET_ERR_UNAUTHENTICATED", "the API key is unknown or revoked");
    return hit.principal;
  }

  async #fromToken(token: string): Promise<Principal> {
    if (!this.#issuer) {
      throw new RunletError("RUNLET_ERR_UNAUTHENTICATED", "access tokens are not enabled on this server");
    }
    const now = Date.now();
    let hit = this.#tokens.get(token);
    if (!hit || hit.expiresAt * 1000 <= now) {
      const claims = await this.#issuer.verify(token);
      hit = {
        principal: {
          kind: "key",
          account: claims.account,
          role: claims.role,
          keyId: claims.keyId,
          via: "token",
        },
        expiresAt: claims.expiresAt,
      };
      if (this.#tokens.size > 10_000) this.#tokens.clear();
      this.#tokens.set(token, hit);
    }
    const principal = hit.principal as Extract<Principal, { kind: "key" }>;
    const keyRole = await this.#liveRole(principal.keyId, now);
    if (keyRole === null) {
      throw new RunletError(
        "RUNLET_ERR_UNAUTHENTICATED",
        "the key this access token was issued to has been revoked; use a live key",
      );
    }
    // A token never carries more than its key can do now.
    return roleAllows(keyRole, principal.role) ? principal : { ...principal, role: keyRole };
  }

  async #liveRole(keyId: string, now: number): Promise<Role | null> {
    let hit = this.#liveKeys.get(keyId);
    if (!hit || now - hit.at > this.#ttlMs) {
      const generation = this.#generation;
      const key = await this.store.keys.get(keyId);
      hit = { role: key && key.revokedAt === null ? key.role : null, at: now };
      if (generation === this.#generation) {
        if (this.#liveKeys.size > 10_000) this.#liveKeys.clear();
        this.#liveKeys.set(keyId, hit);
      }
    }
    return hit.role;
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

  /** Drops cached lookups after a key of `account` was revoked on this node, and tells the cluster. */
  forget(account: string): void {
    this.forgetRemote();
    this.publish?.({ kind: "keys", account });
  }

  /** Drops cached lookups: another node revoked a key (src/cluster). */
  forgetRemote(): void {
    this.#cache.clear();
    this.#liveKeys.clear();
    this.#generation++;
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
