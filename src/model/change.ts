/**
 * A change to something nodes cache, told to every other node of a cluster (src/cluster) so each drops its
 * copy at once instead of waiting out its cache's polling interval. It names what changed, never the new
 * value: a node that hears of it reads the truth from the database.
 */
export type Change =
  /** A function's versions or deployment: upload, deploy, rollback, undeploy, delete (its config, event
   * subscriptions, schedules and subject triggers travel with its versions). */
  | { kind: "function"; account: string; name: string }
  /** An account was created. */
  | { kind: "account"; account: string }
  /** A key of the account was revoked. */
  | { kind: "keys"; account: string }
  | { kind: "allowlist"; account: string }
  | { kind: "quotas"; account: string }
  /** The access-token signing keys were rotated. */
  | { kind: "signing-keys" }
  /** Messages may have been missed (the channel was down): drop every cache. */
  | { kind: "everything" };

export type ChangeKind = Change["kind"];

/** Where a cache owner tells the cluster about a change this node made (after the database has it). */
export type PublishChange = (change: Change) => void;
