import type { QueuedInvocation, Submission } from "./invocation.js";
import type { Activation, Trigger } from "../model/activation.js";

/** A queued invocation as stored: what was submitted, less what only matters at submission, plus its id. */
export interface JobSpec extends Pick<Submission, "callbackUrl" | "maxAttempts"> {
  /** The activation id, minted at submission; the activation keeps it through every attempt. */
  id: string;
  invocation: QueuedInvocation;
  createdAt: number;
}

export interface Enqueue {
  job: JobSpec;
  /** Its `queued` activation record, stored in the same commit (so it exists once the 202 is sent). */
  activation?: Activation;
  /** With a key, a second enqueue of the same (account, function, key) returns the first job's id. */
  idempotencyKey?: string;
  bodyDigest?: string;
}

export type EnqueueResult =
  | { kind: "queued"; id: string }
  | { kind: "duplicate"; id: string }
  /** The key was used before with a different body. */
  | { kind: "conflict"; id: string };

/** `run`: the function is to be (re)run; `callback`: it ended and its result is to be POSTed. */
export type JobPhase = "run" | "callback";

export interface ClaimedJob extends JobSpec {
  phase: JobPhase;
  /** Runs started so far, this one included when phase is `run` (a crash re-run counts too). */
  attempts: number;
  callbackAttempts: number;
  /** The run failed for good: once its callback is delivered (or given up), it goes to the dead letters. */
  deadLetter: boolean;
}

export type Settlement =
  | { id: string; kind: "done" }
  /** Run again at `at`; `attempts` rewrites the counter (a throttled run does not count). */
  | { id: string; kind: "retry"; at: number; attempts?: number; error?: unknown }
  /** The run ended; deliver the callback at `at` (next delivery try; `callbackAttempts` so far). */
  | { id: string; kind: "callback"; at: number; callbackAttempts: number; deadLetter?: boolean }
  /** Dead-lettered; `error` (the last failure) is kept from before when not given. */
  | { id: string; kind: "dead"; at: number; error?: unknown };

export interface DeadJob {
  id: string;
  account: string;
  function: string;
  trigger: Trigger;
  attempts: number;
  error: unknown;
  createdAt: number;
  failedAt: number;
}

/**
 * The queue seam (DESIGN §3 queue/): durable jobs, claimed under a lease so a crashed worker's jobs run
 * again (at-least-once). Implemented on the store's database (SQLite or PostgreSQL, src/store/repositories/
 * queue.ts) or on NATS JetStream (src/queue/jetstream-queue.ts); test/queue/queue.contract.ts is the behaviour both
 * must have.
 */
export interface JobQueue {
  /**
   * Stores every entry (job, idempotency key, queued activation record) in one durable commit (group
   * commit); resolves only once it is on disk. A duplicate or conflicting key stores nothing.
   */
  enqueue(entries: Enqueue[]): Promise<EnqueueResult[]>;
  /**
   * Takes up to `max` jobs due at `now` (never a job another owner holds under an unexpired lease), leases
   * them to `owner` until `now + leaseMs` and counts a started run for each `run` job.
   */
  claim(owner: string, max: number, leaseMs: number, now: number): Promise<ClaimedJob[]>;
  /**
   * `owner` is alive until `until` (its node heartbeats). Once that has passed, a claim takes the jobs it
   * holds at once, however long their leases run: a dead node's jobs run again within seconds. `until`
   * ≤ now says the owner stopped. Queues whose broker watches its consumers (JetStream) need none.
   */
  heartbeat(owner: string, now: number, until: number): Promise<void>;
  /** Extends the lease of jobs `owner` still holds (a long run must not be claimed twice). */
  extend(owner: string, ids: string[], until: number): Promise<void>;
  /** Applies many outcomes in one commit. */
  settle(settlements: Settlement[]): Promise<void>;
  /** Dead-lettered jobs of an account, newest first; `before` is the id cursor. */
  listDead(account: string, limit: number, before?: string): Promise<DeadJob[]>;
  /** The activation an Idempotency-Key already names, if any. */
  lookup(
    account: string,
    fn: string,
    key: string,
  ): Promise<{ id: string; bodyDigest: string | null } | undefined>;
  /** Puts a dead job back in the queue (attempts reset); false if there is no such dead job. */
  redrive(account: string, id: string, now: number): Promise<boolean>;
  /** Forgets idempotency keys older than `before`. */
  pruneKeys(before: number): Promise<number>;
  /** Jobs not yet finished (queued, running or awaiting a callback), for tests and metrics. */
  pending(): Promise<number>;
}
