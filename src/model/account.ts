export type Role = "admin" | "developer" | "invoker";

export const ROLES: readonly Role[] = ["admin", "developer", "invoker"];

export interface Account {
  name: string;
  createdAt: number;
}

export interface ApiKey {
  id: string;
  account: string;
  name: string;
  role: Role;
  /** sha256 of the whole key, hex; the key itself is never stored. */
  hash: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** A secret as stored: the value sealed with AES-256-GCM (src/security/crypto.ts), never in clear. */
export interface SecretRecord {
  account: string;
  name: string;
  sealed: string;
  /** Fingerprint of the master key that sealed it. */
  keyId: string;
  createdAt: number;
  updatedAt: number;
}

/** One entry of the context store (ctx.kv). */
export interface KvEntry {
  account: string;
  namespace: string;
  key: string;
  /** JSON text */
  value: string;
  /** ms since epoch; null: never expires. */
  expiresAt: number | null;
  updatedAt: number;
}

/** An account's outbound allowlist: host patterns like `api.example.com` or `*.example.com`. */
export interface Allowlist {
  account: string;
  domains: string[];
  updatedAt: number;
}

/** One entry of an account's audit log: who changed what (GET …/audit). */
export interface AuditEntry {
  id: string;
  account: string;
  at: number;
  /** `key:<id>` (an API key), `token:<key id>` (an access token of that key), `operator`, or `system`. */
  actor: string;
  /** What was done, like `function.deploy` or `key.create`. */
  action: string;
  /** What it was done to, like the function or key name. */
  target: string;
  detail: Record<string, unknown> | null;
}

/** A key that signs access tokens; its secret is derived from the master key and `salt`, never stored. */
export interface SigningKey {
  kid: string;
  salt: string;
  createdAt: number;
  /** When a newer key replaced it; tokens it signed verify until they expire. */
  retiredAt: number | null;
}

/** Per-account quota overrides (unset fields fall back to the configured defaults). */
export interface QuotaOverrides {
  functions?: number;
  concurrent?: number;
  invocationsPerMonth?: number;
  payloadBytes?: number;
  logBytesPerMonth?: number;
}

/** What an account used in one calendar month (UTC), summed over every node. */
export interface QuotaUsage {
  invocations: number;
  logBytes: number;
}

/** One schedule tick claimed by a node (the row is the cluster-wide firing lock). */
export interface ScheduleFiring {
  account: string;
  function: string;
  /** The schedule's key: a digest of its cron, timezone and payload. */
  schedule: string;
  /** The tick's time, ms since epoch. */
  tick: number;
  node: string;
  firedAt: number;
}
