import { hash, timingSafeEqual } from "node:crypto";
import { randomToken } from "../ids.js";
import type { ApiKey, Role } from "../model/account.js";

/**
 * Keys are 192 random bits, so a fast hash is enough: nothing to brute-force, nothing stored in clear.
 * Every request hashes its key: the one-shot `hash` skips the Hash object (a quarter of the cost of createHash).
 */
export function hashKey(key: string): string {
  return hash("sha256", key, "hex");
}

export function newApiKey(account: string, name: string, role: Role): { key: string; record: ApiKey } {
  const id = `key_${randomToken(9)}`;
  const key = `rlk_${randomToken(24)}`;
  return {
    key,
    record: {
      id,
      account,
      name,
      role,
      hash: hashKey(key),
      createdAt: Date.now(),
      lastUsedAt: null,
      revokedAt: null,
    },
  };
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const RANK: Record<Role, number> = { invoker: 1, developer: 2, admin: 3 };

export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
