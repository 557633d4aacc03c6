import { hkdfSync } from "node:crypto";
import { SignJWT, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { RunletError } from "../errors.js";
import { randomToken } from "../ids.js";
import { ROLES, type Role, type SigningKey } from "../model/account.js";
import type { PublishChange } from "../model/change.js";
import type { Store } from "../store/store.js";

export interface TokenOptions {
  /** Lifetime of an access token. */
  ttlSeconds: number;
  /** A signing key older than this is replaced at the next issue (0: never on its own). */
  rotateAfterMs: number;
}

export interface TokenClaims {
  account: string;
  role: Role;
  /** The API key the token was issued to; the token dies with it. */
  keyId: string;
  /** Seconds since epoch. */
  expiresAt: number;
}

const ISSUER = "runlet";
const AUDIENCE = "runlet-api";

interface LoadedKey {
  kid: string;
  secret: Uint8Array;
  createdAt: number;
  retiredAt: number | null;
}

/**
 * Access tokens for the OAuth2 client-credentials grant: HS256 JWTs signed with the newest signing key.
 * A signing key's secret is never stored: it is HKDF(root key, the key's random salt), so a copy of the
 * database alone cannot mint tokens; the root key (the platform master key) is what every node shares.
 * Rotation adds a key and retires the old one, which keeps verifying until its last tokens expire.
 */
export class TokenIssuer {
  #keys: LoadedKey[] = [];
  #loadedAt = 0;
  #loading: Promise<void> | undefined;
  /** Tells the cluster about this node's rotations (set by the platform). */
  publish: PublishChange | undefined;

  constructor(
    private readonly store: Store,
    private readonly rootKey: Uint8Array,
    readonly options: TokenOptions,
  ) {}

  async issue(subject: {
    account: string;
    role: Role;
    keyId: string;
  }): Promise<{ token: string; expiresIn: number }> {
    let key = await this.#signingKey();
    const now = Date.now();
    if (!key || (this.options.rotateAfterMs > 0 && now - key.createdAt >= this.options.rotateAfterMs)) {
      await this.rotate();
      key = await this.#signingKey();
    }
    const iat = Math.floor(now / 1000);
    const token = await new SignJWT({ account: subject.account, scope: subject.role })
      .setProtectedHeader({ alg: "HS256", kid: key!.kid, typ: "at+jwt" })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(subject.keyId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.options.ttlSeconds)
      .setJti(randomToken(12))
      .sign(key!.secret);
    return { token, expiresIn: this.options.ttlSeconds };
  }

  /** Checks signature, issuer, audience and expiry; throws 401 for anything else than a valid token. */
  async verify(token: string): Promise<TokenClaims> {
    const getKey: JWTVerifyGetKey = async (header) => {
      const kid = header.kid ?? "";
      let key = this.#verifyingKey(kid);
      if (!key && Date.now() - this.#loadedAt > 1000) {
        await this.#load(); // another node may have rotated
        key = this.#verifyingKey(kid);
      }
      if (!key) throw new joseErrors.JWKSNoMatchingKey();
      return key.secret;
    };
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
        typ: "at+jwt",
        requiredClaims: ["sub", "exp", "iat"],
      });
      const { account, scope, sub, exp } = payload;
      if (typeof account !== "string" || typeof sub !== "string" || !ROLES.includes(scope as Role)) {
        throw new Error("claims");
      }
      return { account, role: scope as Role, keyId: sub, expiresAt: exp! };
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw new RunletError(
        "RUNLET_ERR_UNAUTHENTICATED",
        expired
          ? "the access token has expired; get a new one from POST /v1/oauth/token"
          : "the access token is not valid here; get a new one from POST /v1/oauth/token",
      );
    }
  }

  /** Starts signing with a new key; tokens of the old one verify until they expire. Answers the new kid. */
  async rotate(): Promise<string> {
    const now = Date.now();
    const key: SigningKey = {
      kid: `sk_${randomToken(9)}`,
      salt: randomToken(24),
      createdAt: now,
      retiredAt: null,
    };
    await this.store.signingKeys.rotate(key);
    await this.store.signingKeys.prune(now - this.options.ttlSeconds * 1000 - 60_000);
    await this.#load();
    this.publish?.({ kind: "signing-keys" });
    return key.kid;
  }

  /** Another node rotated the signing keys (src/cluster): the next token is signed with the new one. */
  changedElsewhere(): void {
    this.#loadedAt = 0;
  }

  async #signingKey(): Promise<LoadedKey | undefined> {
    if (this.#loadedAt === 0 || Date.now() - this.#loadedAt > 60_000) await this.#load();
    return this.#keys.find((k) => k.retiredAt === null);
  }

  #verifyingKey(kid: string): LoadedKey | undefined {
    const key = this.#keys.find((k) => k.kid === kid);
    if (!key) return undefined;
    const expired = key.retiredAt !== null && Date.now() > key.retiredAt + this.options.ttlSeconds * 1000;
    return expired ? undefined : key;
  }

  #load(): Promise<void> {
    this.#loading ??= this.store.signingKeys
      .list()
      .then((rows) => {
        this.#keys = rows.map((row) => ({
          ...row,
          secret: new Uint8Array(
            hkdfSync("sha256", this.rootKey, row.salt, `runlet access token ${row.kid}`, 32),
          ),
        }));
        this.#loadedAt = Date.now();
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}

/** A JWT is three base64url parts; API keys start with `rlk_`. */
export function looksLikeJwt(token: string): boolean {
  return token.startsWith("eyJ") && token.split(".").length === 3;
}
