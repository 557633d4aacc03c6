import type { RecordConfig } from "./recording.js";
export type HandlerStyle = "event" | "http" | "classic";

/** A version's style: a handler style, or `sequence` for a function made of other functions. */
export type VersionStyle = HandlerStyle | "sequence";

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
  /** Record and replay (src/replay): keep a sample of activations with the answers of their host calls. */
  record?: RecordConfig;
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
  /** Stable id, never reused (the hosted platform's lambda UUID: `…/lambdas/{uuid}/invoke`). */
  uuid: string;
  latestVersion: number;
  /** The version invocations run, or null when not deployed. */
  deployedVersion: number | null;
  /** True once the function has ever been deployed (tells `draft` from `undeployed`). */
  everDeployed: boolean;
  /** A second version taking a share of invocations beside the deployed one (absent: none). */
  canary?: Canary;
  createdAt: number;
  updatedAt: number;
}

/**
 * A canary: `version` runs `weight` out of every 10,000 invocations (percent × 100), the deployed version
 * the rest. `autoRollback` ends it by itself when its error rate is too far above the deployed version's.
 */
export interface Canary {
  version: number;
  /** 0..10000: basis points of invocations routed to the canary. */
  weight: number;
  /** When it started (ms): the auto-rollback window never reaches before it. */
  since: number;
  autoRollback?: AutoRollback;
}

export interface AutoRollback {
  /** The canary's error rate may exceed the deployed version's by at most this (0..1). */
  maxErrorRate: number;
  /** Finished canary invocations in the window before it is judged. */
  minInvocations: number;
  /** How far back it looks, in ms. */
  windowMs: number;
}

export interface VersionRecord {
  /**
   * Unique and never reused, unlike (account, function, version): a function deleted and created again
   * starts at version 1 again. Caches and instance pools key versions by this.
   */
  id: string;
  account: string;
  function: string;
  version: number;
  /** What the user uploaded (TypeScript or JavaScript), for reading back and diffing. */
  source: string;
  /** The script the runtime evaluates (esbuild output). */
  code: string;
  /** esbuild's source map of `code` (JSON), to show stack frames in the author's files. */
  sourceMap?: string;
  style: VersionStyle;
  config: FunctionConfig;
  /** sha256 of source + config: an identical upload returns the existing version. */
  digest: string;
  createdAt: number;
  /** Who uploaded it, as the audit log names a caller (`key:<id>`, `token:<key id>`, …); unset before 011. */
  createdBy?: string;
}

export interface Deployment {
  account: string;
  function: string;
  /** null for an undeploy. */
  version: number | null;
  /** The canary beside it after this change (absent: none). */
  canary?: { version: number; weight: number };
  /** Why the platform made this change by itself (an automatic rollback), absent for a user's. */
  reason?: string;
  at: number;
  /** Who deployed it, named as createdBy is; unset before 011. */
  by?: string;
}
