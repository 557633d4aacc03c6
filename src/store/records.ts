import type { ActivationStatus } from "../outcomes.js";

export type Role = "admin" | "developer" | "invoker";
export const ROLES: readonly Role[] = ["admin", "developer", "invoker"];

export type HandlerStyle = "event" | "http" | "classic";
export type Trigger = "http" | "web" | "event" | "schedule" | "queue" | "function" | "local";

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

/** Settings that travel with a version (immutable once the version exists). */
export interface FunctionConfig {
  timeoutMs: number;
  memoryMb: number;
  concurrency: number;
  minInstances: number;
  maxInstances: number;
  idleTimeoutMs: number;
  env: Record<string, string>;
  events: string[];
  schedules: { cron: string; payload?: unknown; timezone?: string }[];
  public: boolean;
  retry: { attempts: number; backoff: "exponential"; initialDelayMs: number };
}

export type FunctionState = "draft" | "deployed" | "modified" | "undeployed";

export interface FunctionRecord {
  account: string;
  name: string;
  latestVersion: number;
  /** The version invocations run, or null when not deployed. */
  deployedVersion: number | null;
  /** True once the function has ever been deployed (tells `draft` from `undeployed`). */
  everDeployed: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface VersionRecord {
  account: string;
  function: string;
  version: number;
  /** What the user uploaded (TypeScript or JavaScript), for reading back and diffing. */
  source: string;
  /** The script the runtime evaluates (esbuild output). */
  code: string;
  style: HandlerStyle;
  config: FunctionConfig;
  /** sha256 of source + config: an identical upload returns the existing version. */
  digest: string;
  createdAt: number;
}

export interface Deployment {
  account: string;
  function: string;
  /** null for an undeploy. */
  version: number | null;
  at: number;
}

export interface LogLine {
  /** ms since epoch */
  t: number;
  level: "debug" | "info" | "warn" | "error" | "log";
  msg: string;
}

export interface ActivationError {
  code: string;
  message: string;
}

export interface Activation {
  id: string;
  account: string;
  function: string;
  version: number;
  trigger: Trigger;
  status: ActivationStatus;
  result: unknown;
  error: ActivationError | null;
  logs: LogLine[];
  logsTruncated: boolean;
  startedAt: number;
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  coldStart: boolean;
}

export interface ActivationFilter {
  account: string;
  function?: string;
  status?: ActivationStatus;
  /** startedAt >= since (ms) */
  since?: number;
  /** Return activations with id < before (cursor from a previous page). */
  before?: string;
  limit: number;
}

export interface UsageFilter {
  account: string;
  /** startedAt >= from (ms) */
  from: number;
  /** startedAt < to (ms) */
  to: number;
  /** No grouping: one row, key "total". */
  groupBy?: "function" | "day";
}

/** What a set of activations used: the basis of metering (DESIGN §3 metering/). */
export interface UsageRow {
  /** The function name, the UTC day (YYYY-MM-DD), or "total". */
  key: string;
  invocations: number;
  /** Activations whose status is not `succeeded`. */
  errors: number;
  billedMs: number;
  /** Sum of billed seconds × memory in GiB. */
  gbSeconds: number;
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

export interface KvListFilter {
  account: string;
  namespace: string;
  prefix?: string;
  /** Keys strictly after this one (the cursor of a previous page). */
  after?: string;
  limit: number;
  /** Entries that expired by this time are left out. */
  now: number;
}

/** An account's outbound allowlist: host patterns like `api.example.com` or `*.example.com`. */
export interface Allowlist {
  account: string;
  domains: string[];
  updatedAt: number;
}
