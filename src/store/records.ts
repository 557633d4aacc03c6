import type { ActivationStatus } from "../outcomes.js";

export type Role = "admin" | "developer" | "invoker";
export const ROLES: readonly Role[] = ["admin", "developer", "invoker"];

export type HandlerStyle = "event" | "http" | "classic";
/** A version's style: a handler style, or `sequence` for a function made of other functions. */
export type VersionStyle = HandlerStyle | "sequence";
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
  /** Event types the function subscribes to: a type, or a type with a payload filter. */
  events: EventSubscription[];
  schedules: { cron: string; payload?: unknown; timezone?: string }[];
  /** NATS subjects the function is invoked for (absent in versions stored before queues existed). */
  queues?: { subject: string }[];
  public: boolean;
  retry: { attempts: number; backoff: "exponential"; initialDelayMs: number };
  /** A sequence function: no code of its own; invoking it runs these functions in order. */
  sequence?: string[];
}

/**
 * `"order.created"`, or `{type, filter}` where filter maps dotted payload paths to the value they must
 * hold (a JSON primitive, or an array of them: any one matches).
 */
export type EventSubscription = string | { type: string; filter?: Record<string, EventFilterValue> };
export type EventFilterValue = string | number | boolean | null | (string | number | boolean | null)[];

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
  style: VersionStyle;
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
  /** Runs it took: more than 1 when an async activation was retried or re-run after a crash. */
  attempts?: number;
  /** For an async activation with X-Callback-Url: how delivering its result went. */
  callback?: CallbackRecord;
  /** The activation that invoked this one (ctx.invoke or a sequence). */
  parentId?: string;
  /** The W3C traceparent it ran under (set for invocations made by another function). */
  traceparent?: string;
  /** For a sequence: each step it ran, in order. */
  steps?: ActivationStep[];
}

/** One step of a sequence's activation. */
export interface ActivationStep {
  function: string;
  activationId: string;
  status: ActivationStatus;
  durationMs: number;
}

export interface CallbackRecord {
  url: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  /** Why the last try failed (HTTP status or network error). */
  lastError?: string;
  deliveredAt?: number;
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

/** One function's recent activations (`runlet get`): finished ones with startedAt >= since. */
export interface StatsFilter {
  account: string;
  function: string;
  since: number;
}

export interface FunctionStats {
  /** Finished activations by status (statuses with none are absent). */
  byStatus: Partial<Record<ActivationStatus, number>>;
  invocations: number;
  /** Nearest-rank percentiles of durationMs over the activations that ran (not `rejected`); null if none. */
  p50Ms: number | null;
  p99Ms: number | null;
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

export interface AuditFilter {
  account: string;
  /** at >= since (ms) */
  since?: number;
  /** id < before (cursor from a previous page) */
  before?: string;
  limit: number;
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
