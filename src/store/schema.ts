/**
 * The tables as Kysely sees them. Timestamps are integer ms (bigint columns, parsed to numbers on both
 * dialects); booleans are 0/1 integers and JSON is text, so both dialects store the same values.
 */
export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  functions: FunctionsTable;
  versions: VersionsTable;
  deployments: DeploymentsTable;
  activations: ActivationsTable;
  schedule_firings: ScheduleFiringsTable;
  queue_jobs: QueueJobsTable;
  queue_idempotency: QueueIdempotencyTable;
  audit_log: AuditLogTable;
  signing_keys: SigningKeysTable;
  account_quotas: AccountQuotasTable;
  quota_counters: QuotaCountersTable;
  secrets: SecretsTable;
  kv_entries: KvEntriesTable;
  allowlists: AllowlistsTable;
  cluster_settings: ClusterSettingsTable;
  cluster_nodes: ClusterNodesTable;
  cluster_counters: ClusterCountersTable;
  fault_profiles: FaultProfilesTable;
  recordings: RecordingsTable;
  idle_policies: IdlePoliciesTable;
  budgets: BudgetsTable;
  budget_alerts: BudgetAlertsTable;
}

/** A monthly budget (014-budgets); `function` is '' for the account's own. */
export interface BudgetsTable {
  account: string;
  function: string;
  amount_micros: number;
  /** JSON array of percentages */
  thresholds: string;
  hard_limit: number;
  webhook_url: string | null;
  updated_at: number;
}

/** A threshold a budget crossed, once per (account, function, period, threshold, amount). */
export interface BudgetAlertsTable {
  id: string;
  account: string;
  function: string;
  period: string;
  threshold: number;
  amount_micros: number;
  spent_micros: number;
  created_at: number;
  /** JSON {status, at, error?} */
  delivery: string | null;
}

/** Values the first node writes and every later one compares (009-cluster). */
export interface ClusterSettingsTable {
  name: string;
  value: string;
  created_at: number;
}

/** An async invocation in the embedded queue (src/queue); `state` is run, callback or dead. */
export interface QueueJobsTable {
  id: string;
  account: string;
  function: string;
  state: string;
  available_at: number;
  lease_owner: string | null;
  attempts: number;
  callback_attempts: number;
  /** JSON of JobSpec */
  spec: string;
  /** JSON of the last failure, or NULL */
  error: string | null;
  created_at: number;
  failed_at: number | null;
}

export interface QueueIdempotencyTable {
  account: string;
  function: string;
  key: string;
  activation_id: string;
  body_digest: string | null;
  created_at: number;
}

export interface AccountsTable {
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  account: string;
  name: string;
  role: string;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface FunctionsTable {
  account: string;
  name: string;
  latest_version: number;
  deployed_version: number | null;
  ever_deployed: number;
  created_at: number;
  updated_at: number;
  /** Stable id (007-function-uuids); set on insert, never changed. */
  uuid: string;
  /** The canary (012-canary-idle): all four NULL when there is none. */
  canary_version: number | null;
  /** Basis points (0..10000) of invocations it takes. */
  canary_weight: number | null;
  canary_since: number | null;
  /** JSON of AutoRollback, or NULL */
  canary_rollback: string | null;
}

export interface VersionsTable {
  account: string;
  function: string;
  version: number;
  source: string;
  code: string;
  /** null for versions stored before source maps were kept. */
  source_map: string | null;
  style: string;
  /** JSON of FunctionConfig */
  config: string;
  digest: string;
  created_at: number;
  /** Never reused (009-cluster): what caches and instance pools key a version by. */
  id: string;
  /** The uploader's audit actor (011); null before. */
  created_by: string | null;
}

export interface DeploymentsTable {
  account: string;
  function: string;
  /** Per-function sequence number: orders deployments that share a millisecond. */
  seq: number;
  version: number | null;
  at: number;
  /** The deployer's audit actor (011); null before. */
  by: string | null;
  canary_version: number | null;
  canary_weight: number | null;
  /** Why the platform made the change by itself, or NULL for a user's. */
  reason: string | null;
}

/** An account's idle-function policy (012-canary-idle). */
export interface IdlePoliciesTable {
  account: string;
  undeploy_after_days: number;
  webhook_url: string | null;
  updated_at: number;
}

export interface ActivationsTable {
  id: string;
  account: string;
  function: string;
  version: number;
  trigger: string;
  status: string;
  /** JSON, or NULL when the function returned nothing */
  result: string | null;
  /** JSON of ActivationError, or NULL */
  error: string | null;
  /** JSON of LogLine[] */
  logs: string;
  logs_truncated: number;
  started_at: number;
  duration_ms: number;
  billed_ms: number;
  memory_mb: number;
  cold_start: number;
  /** Runs an async activation took (1 for a sync one). */
  attempts: number;
  /** JSON of CallbackRecord, or NULL */
  callback: string | null;
  /** The activation that invoked this one (ctx.invoke, a sequence step), or NULL. */
  parent_id: string | null;
  traceparent: string | null;
  /** The W3C trace id it is in (its traceparent's, or the one its own calls start); NULL before 016. */
  trace_id: string | null;
  /** The span of the activation (or outside caller) that invoked it, or NULL. */
  parent_span_id: string | null;
  /** How long a queued activation waited between submission and its (last) run, or NULL. */
  queued_ms: number | null;
  /** JSON of ActivationStep[] for a sequence, or NULL */
  steps: string | null;
  /** JSON of ActivationFaults when the invocation carried a fault profile, or NULL (013). */
  faults: string | null;
}

export interface FaultProfilesTable {
  account: string;
  name: string;
  /** JSON of FaultRule[] */
  rules: string;
  updated_at: number;
}

export interface RecordingsTable {
  account: string;
  /** The recorded activation's id. */
  id: string;
  function: string;
  version: number;
  started_at: number;
  /** Pruned after this (the function's record.days). */
  expires_at: number;
  /** JSON of Recording (input, host calls and their answers, result). */
  body: string;
}

export interface SecretsTable {
  account: string;
  name: string;
  /** base64 of IV + AES-256-GCM ciphertext + tag */
  sealed: string;
  key_id: string;
  created_at: number;
  updated_at: number;
}

export interface KvEntriesTable {
  account: string;
  namespace: string;
  key: string;
  /** JSON text */
  value: string;
  /** ms since epoch, or NULL for no TTL */
  expires_at: number | null;
  updated_at: number;
}

export interface AllowlistsTable {
  account: string;
  /** JSON array of host patterns */
  domains: string;
  updated_at: number;
}
export interface AuditLogTable {
  id: string;
  account: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  /** JSON, or NULL */
  detail: string | null;
}

export interface SigningKeysTable {
  kid: string;
  salt: string;
  created_at: number;
  retired_at: number | null;
}

export interface AccountQuotasTable {
  account: string;
  /** JSON of QuotaOverrides */
  quotas: string;
  updated_at: number;
}

export interface QuotaCountersTable {
  account: string;
  /** UTC month, YYYY-MM */
  period: string;
  invocations: number;
  log_bytes: number;
}

/** A schedule tick that fired; the primary key (account, function, schedule, tick) is the cluster-wide lock. */
export interface ScheduleFiringsTable {
  account: string;
  function: string;
  /** The schedule's key (a digest of its cron, timezone and payload). */
  schedule: string;
  /** The tick's time, ms since epoch. */
  tick: number;
  /** The node that claimed it. */
  node: string;
  fired_at: number;
  activation_id: string | null;
}

/** A node's heartbeat (src/queue/worker.ts): dead once `expires_at` has passed. */
export interface ClusterNodesTable {
  id: string;
  seen_at: number;
  expires_at: number;
}

/** One holder's share of a shared counter (src/store/repositories/counters.ts). */
export interface ClusterCountersTable {
  key: string;
  holder: string;
  value: number;
  expires_at: number | null;
}
