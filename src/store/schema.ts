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
}

export interface VersionsTable {
  account: string;
  function: string;
  version: number;
  source: string;
  code: string;
  style: string;
  /** JSON of FunctionConfig */
  config: string;
  digest: string;
  created_at: number;
}

export interface DeploymentsTable {
  account: string;
  function: string;
  /** Per-function sequence number: orders deployments that share a millisecond. */
  seq: number;
  version: number | null;
  at: number;
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
}
