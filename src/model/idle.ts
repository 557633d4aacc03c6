import type { FunctionState } from "./function.js";

/** An account's policy for forgotten functions: undeploy what was not invoked in `undeployAfterDays`. */
export interface IdlePolicy {
  account: string;
  undeployAfterDays: number;
  /** Told (a signed POST) before each function is undeployed; absent: only the audit log says so. */
  webhookUrl?: string;
  updatedAt: number;
}

/** A function not invoked for a while, with what it still holds and what holding it costs. */
export interface IdleFunction {
  name: string;
  state: FunctionState;
  deployedVersion: number | null;
  /** Its newest activation's start, or null if it never ran (its records may have aged out). */
  lastInvokedAt: string | null;
  /** The later of its last invocation and its last change (upload, deploy): idle since then. */
  idleSince: string;
  idleDays: number;
  holds: {
    /** Instances kept warm (the deployed version's minInstances), each with memoryMb reserved. */
    minInstances: number;
    memoryMb: number;
    schedules: number;
    /** Event types and NATS subjects it listens to. */
    subscriptions: number;
    storage: { versions: number; bytes: number };
  };
  /** Warm memory priced as the usage API prices GB-seconds, for a 30-day month. */
  cost: { warmGbSecondsPerMonth: number; perMonth: number };
}
