import type {
  Account,
  Activation,
  ActivationFilter,
  ApiKey,
  Deployment,
  FunctionRecord,
  UsageFilter,
  UsageRow,
  VersionRecord,
} from "./records.js";

/**
 * The store seam: small repositories over one database. Implemented once on Kysely, opened on SQLite or
 * PostgreSQL (see ./sqlite and ./postgres); test/store/store.contract.ts runs against both.
 */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  readonly accounts: AccountRepository;
  readonly keys: KeyRepository;
  readonly functions: FunctionRepository;
  readonly versions: VersionRepository;
  readonly deployments: DeploymentRepository;
  readonly activations: ActivationRepository;
  /** A cheap query that proves the database answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface AccountRepository {
  /** Throws StoreConflictError if it exists. */
  create(account: Account): Promise<void>;
  get(name: string): Promise<Account | undefined>;
  list(): Promise<Account[]>;
  count(): Promise<number>;
}

export interface KeyRepository {
  create(key: ApiKey): Promise<void>;
  findByHash(hash: string): Promise<ApiKey | undefined>;
  list(account: string): Promise<ApiKey[]>;
  /** Marks it revoked; false if no such live key in that account. */
  revoke(account: string, id: string, at: number): Promise<boolean>;
  touch(id: string, at: number): Promise<void>;
}

export interface FunctionRepository {
  get(account: string, name: string): Promise<FunctionRecord | undefined>;
  list(account: string): Promise<FunctionRecord[]>;
  /**
   * Adds `version` as the function's new latest version (creating the function if needed) in one
   * transaction, and drops versions beyond the newest `keep`, never the deployed one.
   */
  addVersion(version: VersionRecord, keep: number): Promise<FunctionRecord>;
  /** Points the function at a version (or null to undeploy) and records the deployment. */
  setDeployed(account: string, name: string, version: number | null, at: number): Promise<FunctionRecord>;
  /** Deletes the function, its versions and deployments; false if it did not exist. */
  delete(account: string, name: string): Promise<boolean>;
}

export interface VersionRepository {
  get(account: string, name: string, version: number): Promise<VersionRecord | undefined>;
  /** Newest first. */
  list(account: string, name: string): Promise<VersionRecord[]>;
}

export interface DeploymentRepository {
  /** Newest first. */
  list(account: string, name: string, limit: number): Promise<Deployment[]>;
}

export interface ActivationRepository {
  /** Inserts many in one transaction (the dispatcher writes in batches). */
  insertMany(activations: Activation[]): Promise<void>;
  get(account: string, id: string): Promise<Activation | undefined>;
  /** Newest first (ids sort by time). */
  list(filter: ActivationFilter): Promise<Activation[]>;
  /** Sums over the activations in [from, to): computed from the records, so always consistent with them. */
  usage(filter: UsageFilter): Promise<UsageRow[]>;
}

export class StoreConflictError extends Error {
  override name = "StoreConflictError";
}
