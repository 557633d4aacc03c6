import type { SharedCounters } from "../model/counters.js";
import type { JobQueue } from "../model/job.js";
import type { ActivationsTable } from "./schema.js";
import type {
  Account,
  ApiKey,
  AuditEntry,
  ScheduleFiring,
  QuotaOverrides,
  QuotaUsage,
  SigningKey,
  KvEntry,
  Allowlist,
  SecretRecord,
} from "../model/account.js";
import type { Activation } from "../model/activation.js";
import type { IdlePolicy } from "../model/idle.js";
import type {
  ActivationFilter,
  AuditFilter,
  KvListFilter,
  StatsFilter,
  FunctionStats,
  OutcomeBucket,
  OutcomeBucketsFilter,
  UsageFilter,
  UsageRow,
  VersionStats,
} from "./records.js";
import type { Canary, Deployment, FunctionRecord, VersionRecord } from "../model/function.js";
import type { FaultProfile } from "../model/fault.js";
import type { Recording } from "../model/recording.js";
import type { Budget, BudgetAlert } from "../model/budget.js";

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
  /** The embedded async queue, in the same database (src/queue). */
  readonly queue: JobQueue;
  /** Counters every node shares (cluster quotas and rate limits; embedded mode counts in process). */
  readonly counters: SharedCounters;
  readonly audit: AuditRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly quotas: QuotaRepository;
  readonly secrets: SecretRepository;
  readonly kv: KvRepository;
  readonly allowlists: AllowlistRepository;
  readonly faultProfiles: FaultProfileRepository;
  readonly recordings: RecordingRepository;
  readonly triggers: TriggerRepository;
  readonly settings: ClusterSettingRepository;
  readonly idlePolicies: IdlePolicyRepository;
  readonly budgets: BudgetRepository;
  /** A cheap query that proves the database answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface AccountRepository {
  /** Throws StoreConflictError if it exists. */
  create(account: Account): Promise<void>;
  /** Creates it unless it exists (never fails on a concurrent create); true if this call created it. */
  createIfMissing(account: Account): Promise<boolean>;
  get(name: string): Promise<Account | undefined>;
  list(): Promise<Account[]>;
  count(): Promise<number>;
}

export interface KeyRepository {
  create(key: ApiKey): Promise<void>;
  /** Creates it unless a key with its hash exists (never fails on a concurrent create); true if created. */
  createIfMissing(key: ApiKey): Promise<boolean>;
  findByHash(hash: string): Promise<ApiKey | undefined>;
  get(id: string): Promise<ApiKey | undefined>;
  list(account: string): Promise<ApiKey[]>;
  /** Marks it revoked; false if no such live key in that account. */
  revoke(account: string, id: string, at: number): Promise<boolean>;
  touch(id: string, at: number): Promise<void>;
}

export interface FunctionRepository {
  get(account: string, name: string): Promise<FunctionRecord | undefined>;
  list(account: string): Promise<FunctionRecord[]>;
  /** The function with this stable id, in this account. */
  getByUuid(account: string, uuid: string): Promise<FunctionRecord | undefined>;
  /**
   * Adds `version` as the function's new latest version (creating the function if needed) in one
   * transaction, and drops versions beyond the newest `keep`, never the deployed one.
   */
  addVersion(version: VersionRecord, keep: number): Promise<FunctionRecord>;
  /** Points the function at a version (or null to undeploy) and records the deployment, and who made it. */
  setDeployed(
    account: string,
    name: string,
    version: number | null,
    at: number,
    by?: string,
  ): Promise<FunctionRecord>;
  /**
   * Starts, changes or (null) ends the canary beside the deployed version and records the deployment.
   * With `expect`, only while that version is the canary: undefined when it no longer is (another node
   * rolled it back or it was promoted first), so a decision is acted on once cluster-wide.
   */
  setCanary(
    account: string,
    name: string,
    canary: Canary | null,
    at: number,
    opts?: { expect?: number; reason?: string; by?: string },
  ): Promise<FunctionRecord | undefined>;
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

/** An activation in the form it is stored in: serialised, so its size is known and it cannot fail to encode. */
export type EncodedActivation = ActivationsTable;

export interface ActivationRepository {
  /** Inserts many in one transaction; an id written again replaces the earlier record. */
  insertMany(activations: Activation[]): Promise<void>;
  /**
   * Serialises an activation for insertEncoded (throws if a field cannot be serialised). The activation
   * log encodes each record as it arrives, so it holds compact rows and knows how much memory they take.
   */
  encode(activation: Activation): EncodedActivation;
  decode(row: EncodedActivation): Activation;
  /** insertMany for encoded rows; no id may appear twice in one call. */
  insertEncoded(rows: EncodedActivation[]): Promise<void>;
  get(account: string, id: string): Promise<Activation | undefined>;
  /** Newest first (ids sort by time). */
  list(filter: ActivationFilter): Promise<Activation[]>;
  /** The activations of one trace (by its W3C trace id), oldest first, at most `limit`. */
  trace(account: string, traceId: string, limit: number): Promise<Activation[]>;
  /** Sums over the activations in [from, to): computed from the records, so always consistent with them. */
  usage(filter: UsageFilter): Promise<UsageRow[]>;
  /** Counts by status and p50/p99 duration of one function's activations since a time (`runlet get`). */
  stats(filter: StatsFilter): Promise<FunctionStats>;
  /** The same counts by version, newest version first (a canary beside the deployed version). */
  versionStats(filter: StatsFilter): Promise<VersionStats[]>;
  /** When each of these functions last started an activation; never-invoked ones are absent. */
  lastStarted(account: string, functions: readonly string[]): Promise<Map<string, number>>;
  /** Finished activations by status per time bucket, oldest first; buckets with none are absent (metrics). */
  outcomeBuckets(filter: OutcomeBucketsFilter): Promise<OutcomeBucket[]>;
}

export interface SecretRepository {
  /** Creates or replaces the secret (keeping its createdAt when it existed). */
  put(secret: SecretRecord): Promise<void>;
  get(account: string, name: string): Promise<SecretRecord | undefined>;
  /** By name. */
  list(account: string): Promise<SecretRecord[]>;
  /** false if it did not exist. */
  delete(account: string, name: string): Promise<boolean>;
  /** The distinct master-key fingerprints secrets are sealed under (to detect a wrong key at start). */
  keyIds(): Promise<string[]>;
}

export interface KvRepository {
  /** Expired entries are not returned. */
  get(account: string, namespace: string, key: string, now: number): Promise<KvEntry | undefined>;
  /** Creates or replaces the entry. */
  set(entry: KvEntry): Promise<void>;
  /** false if it did not exist (or had expired). */
  delete(account: string, namespace: string, key: string, now: number): Promise<boolean>;
  /** Live entries in key (byte) order. */
  list(filter: KvListFilter): Promise<KvEntry[]>;
  /** Live (unexpired) entries the account holds, over all its namespaces. */
  count(account: string, now: number): Promise<number>;
  /** Deletes the entries that expired by `now`; answers how many. */
  purgeExpired(now: number): Promise<number>;
}

export interface IdlePolicyRepository {
  get(account: string): Promise<IdlePolicy | undefined>;
  /** Every account's, by account. */
  list(): Promise<IdlePolicy[]>;
  /** Creates or replaces it. */
  put(policy: IdlePolicy): Promise<void>;
  /** false if there was none. */
  delete(account: string): Promise<boolean>;
}

export interface AllowlistRepository {
  get(account: string): Promise<Allowlist | undefined>;
  set(allowlist: Allowlist): Promise<void>;
}

export interface FaultProfileRepository {
  get(account: string, name: string): Promise<FaultProfile | undefined>;
  /** By name. */
  list(account: string): Promise<FaultProfile[]>;
  /** Creates or replaces the profile. */
  put(profile: FaultProfile): Promise<void>;
  /** false if there was none. */
  delete(account: string, name: string): Promise<boolean>;
}

export interface RecordingRepository {
  /** Keeps a recorded activation (a second put of the same id replaces it). */
  put(recording: Recording): Promise<void>;
  /** The recording of an activation, unless it expired by `now`. */
  get(account: string, id: string, now: number): Promise<Recording | undefined>;
  /** The function's newest unexpired recordings, newest first. */
  latest(account: string, fn: string, limit: number, now: number): Promise<Recording[]>;
  /** Deletes the recordings that expired by `now`; answers how many. */
  prune(now: number): Promise<number>;
}

export interface AuditRepository {
  insert(entry: AuditEntry): Promise<void>;
  /** Newest first (ids sort by time). */
  list(filter: AuditFilter): Promise<AuditEntry[]>;
}

export interface SigningKeyRepository {
  /** Newest first. */
  list(): Promise<SigningKey[]>;
  /** Retires the live key(s) at `key.createdAt` and adds `key`, in one transaction. */
  rotate(key: SigningKey): Promise<void>;
  /** Drops keys retired before `retiredBefore` (their tokens have all expired). */
  prune(retiredBefore: number): Promise<void>;
}

export interface BudgetRepository {
  /** The account's budgets: its own and its functions'. */
  list(account: string): Promise<Budget[]>;
  set(budget: Budget): Promise<void>;
  /** True if there was one. */
  delete(account: string, fn: string | undefined): Promise<boolean>;
  /** Records the alert unless one for its (account, function, period, threshold, amount) exists: true if this call did. */
  addAlert(alert: BudgetAlert): Promise<boolean>;
  /** Sets how sending the alert went (once: only an alert not yet tried). */
  setDelivery(id: string, delivery: NonNullable<BudgetAlert["delivery"]>): Promise<void>;
  /** Newest first. */
  alerts(filter: { account: string; function?: string; limit: number }): Promise<BudgetAlert[]>;
}

export interface QuotaRepository {
  getOverrides(account: string): Promise<QuotaOverrides>;
  setOverrides(account: string, quotas: QuotaOverrides, at: number): Promise<void>;
  /** Adds to an account's counters for a month (YYYY-MM); nodes add their own counts. */
  add(account: string, period: string, delta: QuotaUsage): Promise<void>;
  usage(account: string, period: string): Promise<QuotaUsage>;
}

/** What the trigger runners (src/triggers) read: deployed trigger sources and schedule firing claims. */
export interface TriggerRepository {
  /** The deployed version of every function, in any account, whose config has schedules or queues. */
  deployed(): Promise<VersionRecord[]>;
  /**
   * Claims one schedule tick cluster-wide by inserting its row: true only for the caller whose insert
   * landed; every other node (or a repeat on this one) gets false and must not fire the tick.
   */
  claimTick(firing: ScheduleFiring): Promise<boolean>;
  /** Records the activation a claimed tick was submitted as. */
  setActivation(firing: Omit<ScheduleFiring, "node" | "firedAt">, activationId: string): Promise<void>;
  /** The newest tick that fired for a schedule, or undefined if it never fired. */
  lastTick(account: string, fn: string, schedule: string): Promise<number | undefined>;
  /** A function's newest firings, newest first, with the activation each was submitted as. */
  recent(
    account: string,
    fn: string,
    limit: number,
  ): Promise<(ScheduleFiring & { activationId: string | null })[]>;
  /** Claimed ticks whose activation was never recorded (the node stopped between claim and submit). */
  unsubmitted(claimedBefore: number, limit: number): Promise<ScheduleFiring[]>;
  /** Deletes firings older than `before`, always keeping each schedule's newest (its last fired tick). */
  prune(before: number): Promise<number>;
}

/** Values shared by every node of a cluster, written once by whichever node starts first. */
export interface ClusterSettingRepository {
  /** Stores `value` under `name` unless one is there already; answers the stored value either way. */
  claim(name: string, value: string, at: number): Promise<string>;
}

export class StoreConflictError extends Error {
  override name = "StoreConflictError";
}
