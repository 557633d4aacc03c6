import os from "node:os";
import path from "node:path";
import { parseHostedAccounts } from "./compat/hosted-accounts.js";

/** Platform configuration: one schema, read from `RUNLET_*` variables (and overrides), validated, frozen. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `sqlite:<file>` (default, under dataDir) or `postgres://…`. */
  readonly databaseUrl: string;
  readonly adminKey: string | undefined;
  readonly operatorKey: string | undefined;
  /**
   * RUNLET_MASTER_KEY: 32 bytes as 64 hex digits or base64, which encrypts secrets (AES-256-GCM). Unset:
   * one is generated into `<dataDir>/master.key` (mode 0600) on first start (src/security/master-key.ts).
   */
  readonly masterKey: string | undefined;
  /**
   * RUNLET_MASTER_KEY_FILE: a file holding the master key (a mounted secret every node shares), read when
   * RUNLET_MASTER_KEY is unset. On PostgreSQL one of the two is required.
   */
  readonly masterKeyFile: string | undefined;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Deploy the example function when the default account is first created. */
  readonly example: boolean;
  /**
   * Count every invocation in /metrics (RUNLET_METRICS, default true). Off only to measure what metrics
   * cost (bench/metering-overhead.ts); metering itself is summed from activation records and costs nothing.
   */
  readonly metrics: boolean;
  /**
   * RUNLET_METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <token>` (its labels name
   * every account and function on the node). Unset: /metrics is open, as for a node on a private network.
   */
  readonly metricsToken: string | undefined;
  readonly limits: Limits;
  readonly pricing: Pricing;
  readonly access: AccessSettings;
  readonly queue: QueueSettings;
  /**
   * NATS server (RUNLET_NATS_URL): `queues` subject triggers, and the cluster channel every node tells
   * its changes on (src/cluster). Off when unset: a node then hears other nodes' changes only by polling.
   */
  readonly natsUrl: string | undefined;
  /**
   * RUNLET_OTLP_ENDPOINT: an OpenTelemetry collector's OTLP/HTTP address (http://collector:4318, or its
   * full …/v1/traces URL); every finished activation is exported to it as a span. Off when unset.
   */
  readonly otlpEndpoint: string | undefined;
  /**
   * RUNLET_CACHE_POLL_MS (default 1000): how long a node trusts what it cached of functions, accounts,
   * keys, allowlists and quotas before reading the database again. Changes arrive at once over the
   * cluster channel; this bounds how stale a node gets when a message is lost or NATS is down.
   */
  readonly cachePollMs: number;
  readonly triggers: TriggerSettings;
  /** The hosted platform's account ids → Runlet accounts, for its invocation API (src/compat). */
  readonly hostedAccounts: Readonly<Record<string, string>>;
}

/** Schedules and subject triggers (src/triggers). */
export interface TriggerSettings {
  /** On start, run once each schedule's newest tick missed while no node was up. */
  readonly catchUp: boolean;
  /** How often a node re-reads deployed schedules and subscriptions (other nodes' deploys show up then). */
  readonly syncMs: number;
}

/** The async queue's workers and callbacks (src/queue). */
export interface QueueSettings {
  /** Async invocations one node runs at once (RUNLET_QUEUE_CONCURRENCY). */
  readonly concurrency: number;
  /** How often idle workers look for due jobs (retries, other nodes' submissions). */
  readonly pollMs: number;
  /** A claimed job's lease; renewed while it runs, so only a crashed node's jobs run again. */
  readonly leaseMs: number;
  /** Callback deliveries tried before giving up (RUNLET_CALLBACK_ATTEMPTS). */
  readonly callbackAttempts: number;
  /** First callback retry delay, doubled each try (RUNLET_CALLBACK_RETRY_MS). */
  readonly callbackRetryMs: number;
  readonly callbackTimeoutMs: number;
  /** How long an Idempotency-Key is remembered. */
  readonly idempotencyTtlMs: number;
  /** How often a node tells the queue it is alive (RUNLET_NODE_HEARTBEAT_MS). */
  readonly heartbeatMs: number;
  /** Silence after which a node counts as dead and its claimed jobs run elsewhere (RUNLET_NODE_DEAD_AFTER_MS). */
  readonly deadAfterMs: number;
  /** Where jobs live (RUNLET_QUEUE): `store`, the database's queue_jobs table, or `jetstream` (NATS). */
  readonly backend: "store" | "jetstream";
  readonly jetstream: JetStreamSettings;
}

/** The JetStream queue (RUNLET_QUEUE=jetstream; src/queue/jetstream-queue.ts). */
export interface JetStreamSettings {
  /** Names its streams, consumer, bucket and subjects (RUNLET_JETSTREAM_PREFIX, default RUNLET). */
  readonly prefix: string;
  /** Stream replicas (RUNLET_JETSTREAM_REPLICAS): 1 on one server, 3 on a NATS cluster. */
  readonly replicas: number;
  /** How long a silent node's jobs wait before another node runs them (RUNLET_JETSTREAM_ACK_WAIT_MS). */
  readonly ackWaitMs: number;
  /** Deliveries of a job that never finishes before it is dead-lettered (RUNLET_JETSTREAM_MAX_DELIVER). */
  readonly maxDeliver: number;
}

/** Access tokens, per-key rate limits and per-account quotas (src/security, src/metering/quotas.ts). */
export interface AccessSettings {
  /** Lifetime of an OAuth2 access token (RUNLET_TOKEN_TTL_SECONDS). */
  readonly tokenTtlSeconds: number;
  /** A token signing key is replaced once this old (RUNLET_TOKEN_ROTATE_HOURS; 0: only on request). */
  readonly tokenRotateHours: number;
  /** Requests per second per key, and the burst a key may send at once (0: no limit). */
  readonly rateLimitPerSecond: number;
  readonly rateLimitBurst: number;
  /** Default per-account quotas (0: no limit); the operator overrides them per account. */
  readonly quotas: QuotaDefaults;
  /** How often quota counters are added to the shared database counters. */
  readonly quotaFlushMs: number;
}

export interface QuotaDefaults {
  readonly functions: number;
  readonly concurrent: number;
  readonly invocationsPerMonth: number;
  readonly payloadBytes: number;
  readonly logBytesPerMonth: number;
}

/** What usage costs (GET …/usage); defaults are the common public-cloud list prices. */
export interface Pricing {
  readonly perGbSecond: number;
  readonly perMillionInvocations: number;
}

export interface Limits {
  readonly defaultTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly defaultMemoryMb: number;
  readonly maxMemoryMb: number;
  readonly syncPayloadBytes: number;
  readonly asyncPayloadBytes: number;
  readonly responseBytes: number;
  readonly logLines: number;
  readonly logBytes: number;
  readonly codeBytes: number;
  readonly versionsKept: number;
  readonly maxInstances: number;
  readonly idleTimeoutMs: number;
  /** Outbound fetches one invocation may make (RUNLET_FETCH_PER_INVOCATION). */
  readonly fetchPerInvocation: number;
  /** Outbound fetches per second per function, over all its instances on a node. */
  readonly fetchPerSecond: number;
  /** Largest outbound request body a function may send (RUNLET_FETCH_REQUEST_BYTES). */
  readonly fetchRequestBytes: number;
  /** Largest outbound response body, after decompression. */
  readonly fetchResponseBytes: number;
  /** Longest an outbound fetch may take (also bounded by the invocation's deadline). */
  readonly fetchTimeoutMs: number;
  /** Redirects a fetch follows, each hop checked against the allowlist and the address guard. */
  readonly fetchRedirects: number;
  /** Live keys one account's context store may hold (RUNLET_KV_MAX_KEYS). */
  readonly kvMaxKeys: number;
  /** Secrets one account may hold (RUNLET_SECRETS_MAX). */
  readonly secretsMax: number;
  /**
   * Memory all warm isolates on a node may hold together (RUNLET_ISOLATE_MEMORY_MB; default half the
   * machine's RAM): past it, least recently used idle instances are disposed, or a start is refused (429).
   */
  readonly isolateMemoryMb: number;
  /**
   * Isolates lost to fatal out-of-memory errors (their memory stays until the process exits) past which
   * /readyz answers 503, so an orchestrator restarts the node (RUNLET_MAX_LOST_ISOLATES).
   */
  readonly maxLostIsolates: number;
  /** How many ctx.invoke / sequence hops one chain may take (recursion bombs stop there). */
  readonly maxInvokeDepth: number;
  /** ctx.invoke calls one chain (one outside invocation and all it leads to) may make, per node. */
  readonly maxInvokesPerChain: number;
  /** One upload's compile: time and memory before it is killed (src/runtime/compiler.ts). */
  readonly compileTimeoutMs: number;
  readonly compileMemoryMb: number;
  /** Compiles of one account at once, and compile processes per node. */
  readonly compileConcurrency: number;
  readonly compileProcesses: number;
}

type Overrides = Partial<Omit<Config, "limits" | "pricing" | "triggers" | "access">> & {
  limits?: Partial<Limits>;
  pricing?: Partial<Pricing>;
  triggers?: Partial<TriggerSettings>;
} & {
  access?: Partial<Omit<AccessSettings, "quotas">> & { quotas?: Partial<QuotaDefaults> };
};

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is invalid: expected an integer from ${min} to ${max}`);
  }
  return value;
}

function price(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError(`${name}=${raw} is invalid: expected a price of 0 or more, like 0.0000166667`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name}=${raw} is invalid: expected true or false`);
}

function natsUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.RUNLET_NATS_URL;
  if (raw === undefined || raw === "") return undefined;
  if (!/^(nats|tls):\/\/[^\s]+$/.test(raw)) {
    throw new ConfigError(
      `RUNLET_NATS_URL=${raw} is invalid: use nats://host:4222 (several: comma-separated)`,
    );
  }
  return raw;
}

function otlpEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.RUNLET_OTLP_ENDPOINT;
  if (raw === undefined || raw === "") return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) {
    throw new ConfigError(
      `RUNLET_OTLP_ENDPOINT=${raw} is invalid: use the collector's OTLP/HTTP address, like http://collector:4318`,
    );
  }
  return raw;
}

function queueBackend(env: NodeJS.ProcessEnv): QueueSettings["backend"] {
  const raw = env.RUNLET_QUEUE;
  if (raw === undefined || raw === "" || raw === "store") return "store";
  if (raw === "jetstream") {
    if (!env.RUNLET_NATS_URL) {
      throw new ConfigError("RUNLET_QUEUE=jetstream needs RUNLET_NATS_URL (nats://host:4222)");
    }
    return "jetstream";
  }
  throw new ConfigError(`RUNLET_QUEUE=${raw} is invalid: use store (the database) or jetstream (NATS)`);
}

function jetstreamPrefix(env: NodeJS.ProcessEnv): string {
  const raw = env.RUNLET_JETSTREAM_PREFIX || "RUNLET";
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(raw)) {
    throw new ConfigError(`RUNLET_JETSTREAM_PREFIX=${raw} is invalid: use up to 32 letters, digits, _ or -`);
  }
  return raw;
}

const MiB = 1024 * 1024;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Overrides = {}): Config {
  const dataDir = path.resolve(overrides.dataDir ?? env.RUNLET_DATA_DIR ?? ".runlet");
  const logLevel = overrides.logLevel ?? env.RUNLET_LOG_LEVEL ?? "info";
  if (!(LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`RUNLET_LOG_LEVEL=${logLevel} is invalid: expected one of ${LEVELS.join(", ")}`);
  }
  const databaseUrl =
    overrides.databaseUrl ?? env.RUNLET_DATABASE_URL ?? `sqlite:${path.join(dataDir, "runlet.db")}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(
      `RUNLET_DATABASE_URL=${databaseUrl} is invalid: use sqlite:<file> or postgres://user@host/db`,
    );
  }
  const limits: Limits = {
    defaultTimeoutMs: int(env, "RUNLET_DEFAULT_TIMEOUT_MS", 30_000, 1, 900_000),
    maxTimeoutMs: int(env, "RUNLET_MAX_TIMEOUT_MS", 900_000, 1, 3_600_000),
    defaultMemoryMb: int(env, "RUNLET_DEFAULT_MEMORY_MB", 128, 16, 1024),
    maxMemoryMb: int(env, "RUNLET_MAX_MEMORY_MB", 1024, 16, 8192),
    syncPayloadBytes: int(env, "RUNLET_SYNC_PAYLOAD_BYTES", 6 * MiB, 1024, 64 * MiB),
    asyncPayloadBytes: int(env, "RUNLET_ASYNC_PAYLOAD_BYTES", 256 * 1024, 1024, 64 * MiB),
    responseBytes: int(env, "RUNLET_RESPONSE_BYTES", 6 * MiB, 1024, 64 * MiB),
    logLines: int(env, "RUNLET_LOG_LINES", 256, 1, 100_000),
    logBytes: int(env, "RUNLET_LOG_BYTES", 64 * 1024, 1024, 16 * MiB),
    codeBytes: int(env, "RUNLET_CODE_BYTES", 10 * MiB, 1024, 100 * MiB),
    versionsKept: int(env, "RUNLET_VERSIONS_KEPT", 10, 1, 1000),
    maxInstances: int(env, "RUNLET_MAX_INSTANCES", 8, 1, 10_000),
    idleTimeoutMs: int(env, "RUNLET_IDLE_TIMEOUT_MS", 300_000, 100, 86_400_000),
    fetchPerInvocation: int(env, "RUNLET_FETCH_PER_INVOCATION", 50, 1, 10_000),
    fetchPerSecond: int(env, "RUNLET_FETCH_PER_SECOND", 20, 1, 100_000),
    fetchRequestBytes: int(env, "RUNLET_FETCH_REQUEST_BYTES", 6 * MiB, 1024, 64 * MiB),
    fetchResponseBytes: int(env, "RUNLET_FETCH_RESPONSE_BYTES", 10 * MiB, 1024, 1024 * MiB),
    fetchTimeoutMs: int(env, "RUNLET_FETCH_TIMEOUT_MS", 30_000, 100, 900_000),
    fetchRedirects: int(env, "RUNLET_FETCH_REDIRECTS", 5, 0, 20),
    kvMaxKeys: int(env, "RUNLET_KV_MAX_KEYS", 10_000, 1, 100_000_000),
    secretsMax: int(env, "RUNLET_SECRETS_MAX", 1000, 1, 1_000_000),
    isolateMemoryMb: int(
      env,
      "RUNLET_ISOLATE_MEMORY_MB",
      Math.max(256, Math.floor(os.totalmem() / MiB / 2)),
      16,
      1_048_576,
    ),
    maxLostIsolates: int(env, "RUNLET_MAX_LOST_ISOLATES", 16, 1, 10_000),
    maxInvokeDepth: int(env, "RUNLET_MAX_INVOKE_DEPTH", 8, 1, 64),
    maxInvokesPerChain: int(env, "RUNLET_MAX_INVOKES_PER_CHAIN", 1000, 1, 1_000_000),
    compileTimeoutMs: int(env, "RUNLET_COMPILE_TIMEOUT_MS", 10_000, 100, 600_000),
    compileMemoryMb: int(env, "RUNLET_COMPILE_MEMORY_MB", 512, 128, 16_384),
    compileConcurrency: int(env, "RUNLET_COMPILE_CONCURRENCY", 1, 1, 1000),
    compileProcesses: int(env, "RUNLET_COMPILE_PROCESSES", Math.max(2, os.availableParallelism()), 1, 1000),
    ...overrides.limits,
  };
  const config: Config = {
    host: overrides.host ?? env.RUNLET_HOST ?? "127.0.0.1",
    port: overrides.port ?? int(env, "RUNLET_PORT", 7070, 0, 65_535),
    dataDir,
    databaseUrl,
    adminKey: overrides.adminKey ?? (env.RUNLET_ADMIN_KEY || undefined),
    operatorKey: overrides.operatorKey ?? (env.RUNLET_OPERATOR_KEY || undefined),
    masterKey: overrides.masterKey ?? (env.RUNLET_MASTER_KEY || undefined),
    masterKeyFile: overrides.masterKeyFile ?? (env.RUNLET_MASTER_KEY_FILE || undefined),
    logLevel: logLevel as Config["logLevel"],
    example: overrides.example ?? bool(env, "RUNLET_EXAMPLE", true),
    metrics: overrides.metrics ?? bool(env, "RUNLET_METRICS", true),
    metricsToken: overrides.metricsToken ?? (env.RUNLET_METRICS_TOKEN || undefined),
    limits: Object.freeze(limits),
    queue: Object.freeze({
      concurrency: int(env, "RUNLET_QUEUE_CONCURRENCY", 256, 1, 100_000),
      pollMs: int(env, "RUNLET_QUEUE_POLL_MS", 250, 5, 60_000),
      leaseMs: int(env, "RUNLET_QUEUE_LEASE_MS", 30_000, 100, 3_600_000),
      callbackAttempts: int(env, "RUNLET_CALLBACK_ATTEMPTS", 5, 1, 100),
      callbackRetryMs: int(env, "RUNLET_CALLBACK_RETRY_MS", 1000, 1, 3_600_000),
      callbackTimeoutMs: int(env, "RUNLET_CALLBACK_TIMEOUT_MS", 10_000, 100, 300_000),
      idempotencyTtlMs: int(env, "RUNLET_IDEMPOTENCY_TTL_MS", 86_400_000, 1000, 30 * 86_400_000),
      heartbeatMs: int(env, "RUNLET_NODE_HEARTBEAT_MS", 1000, 50, 60_000),
      deadAfterMs: int(env, "RUNLET_NODE_DEAD_AFTER_MS", 3000, 150, 600_000),
      backend: queueBackend(env),
      jetstream: Object.freeze({
        prefix: jetstreamPrefix(env),
        replicas: int(env, "RUNLET_JETSTREAM_REPLICAS", 1, 1, 5),
        ackWaitMs: int(env, "RUNLET_JETSTREAM_ACK_WAIT_MS", 3000, 100, 3_600_000),
        maxDeliver: int(env, "RUNLET_JETSTREAM_MAX_DELIVER", 10, 2, 1000),
      }),
      ...overrides.queue,
    }),
    pricing: Object.freeze({
      perGbSecond: price(env, "RUNLET_PRICE_PER_GB_SECOND", 0.0000166667),
      perMillionInvocations: price(env, "RUNLET_PRICE_PER_MILLION_INVOCATIONS", 0.2),
      ...overrides.pricing,
    }),
    natsUrl: overrides.natsUrl ?? natsUrl(env),
    otlpEndpoint: overrides.otlpEndpoint ?? otlpEndpoint(env),
    cachePollMs: overrides.cachePollMs ?? int(env, "RUNLET_CACHE_POLL_MS", 1000, 10, 3_600_000),
    hostedAccounts:
      overrides.hostedAccounts ??
      parseHostedAccounts(env.RUNLET_HOSTED_ACCOUNTS, (message) => new ConfigError(message)),
    triggers: Object.freeze({
      catchUp: bool(env, "RUNLET_SCHEDULE_CATCH_UP", true),
      syncMs: int(env, "RUNLET_TRIGGER_SYNC_MS", 5000, 50, 3_600_000),
      ...overrides.triggers,
    }),
    access: Object.freeze({
      tokenTtlSeconds: int(env, "RUNLET_TOKEN_TTL_SECONDS", 900, 10, 86_400),
      tokenRotateHours: int(env, "RUNLET_TOKEN_ROTATE_HOURS", 24, 0, 8760),
      rateLimitPerSecond: int(env, "RUNLET_RATE_LIMIT_PER_SECOND", 10_000, 0, 1_000_000),
      rateLimitBurst: int(env, "RUNLET_RATE_LIMIT_BURST", 20_000, 1, 10_000_000),
      quotaFlushMs: int(env, "RUNLET_QUOTA_FLUSH_MS", 5000, 10, 3_600_000),
      ...overrides.access,
      quotas: Object.freeze({
        functions: int(env, "RUNLET_QUOTA_FUNCTIONS", 1000, 0, 1_000_000),
        concurrent: int(env, "RUNLET_QUOTA_CONCURRENT", 1000, 0, 1_000_000),
        invocationsPerMonth: int(env, "RUNLET_QUOTA_INVOCATIONS_PER_MONTH", 0, 0, Number.MAX_SAFE_INTEGER),
        payloadBytes: int(env, "RUNLET_QUOTA_PAYLOAD_BYTES", 0, 0, 64 * MiB),
        logBytesPerMonth: int(env, "RUNLET_QUOTA_LOG_BYTES_PER_MONTH", 0, 0, Number.MAX_SAFE_INTEGER),
        ...overrides.access?.quotas,
      }),
    }),
  };
  return Object.freeze(config);
}
