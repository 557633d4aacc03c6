import type { Readable } from "node:stream";
import { RunletError } from "../errors.js";
import type { Outcome } from "../outcomes.js";
import type { Activation, Trigger } from "./activation.js";
import type { FaultPlan } from "./fault.js";

/** Request headers as a function sees them: name, value pairs (credentials removed). */
export type HeaderList = [string, string][];

/** Where an invocation came from, for host calls it makes (never sent into the isolate). */
export interface InvocationTrace {
  /** How many `ctx.invoke` or sequence hops led here (0 for an invocation from outside). */
  depth: number;
  traceparent?: string;
  /** The span of whoever made this invocation (a caller's activation, an outside client's span). */
  parentSpanId?: string;
  /** The activation that made this invocation (ctx.invoke, a sequence), recorded as its parentId. */
  parentId?: string;
  /**
   * The activation id of the outside invocation this chain of calls began with: minted by the host, so a
   * chain's budgets cannot be joined from outside (a client's trace id is for correlation only).
   */
  chain?: string;
}

/** A web function's raw HTTP request (its URL is relative to the function). */
export interface WebRequest {
  method: string;
  url: string;
  headers: HeaderList;
  body: string | null;
}

/** The head of a streamed web response, handed on as soon as the function starts its body. */
export interface StreamStart {
  status: number;
  headers: HeaderList;
  body: Readable;
  activationId: string;
  coldStart: boolean;
}

/** Who is invoked, with what: every case has these. */
interface Target {
  account: string;
  function: string;
  payload: unknown;
  /**
   * What a canary split is sticky on (X-Runlet-Route-Key, else the caller's key id): the same key always
   * runs the same version. Absent: each invocation is routed at random.
   */
  routeKey?: string;
}

/** Where a call from another function sits in its chain: one hop deeper, in the caller's trace. */
export interface CallTrace {
  depth: number;
  traceparent: string;
  /** The calling activation's span (absent in jobs queued before it was kept). */
  parentSpanId?: string;
  /** The calling activation, recorded as the child's parentId. */
  parentId: string;
  /** The host-minted id of the chain (its first activation's id); absent in jobs queued before it existed. */
  chain?: string;
}

/** `POST …/functions/{name}/invoke`, sync or queued. */
export interface HttpInvocation extends Target {
  kind: "http";
  headers: HeaderList;
  /** This activation's span when the request carried a valid W3C traceparent. */
  traceparent?: string;
  /** The caller's span in that traceparent. */
  parentSpanId?: string;
  /** Run this kept version instead of the deployed one (a developer's test-invoke; sync only). */
  version?: number;
  /** The fault profile a developer's `X-Runlet-Faults` named, as it was when the request came in. */
  faults?: FaultPlan;
}

/** `ANY /fn/{acct}/{name}/…`: the raw request goes to the function. */
export interface WebInvocation extends Target {
  kind: "web";
  headers: HeaderList;
  request: WebRequest;
  /** Called with the head as soon as the function starts streaming its body. */
  onStream?: (head: StreamStart) => void;
}

/** One subscriber's share of a published event (sync or queued). */
export interface EventInvocation extends Target {
  kind: "event";
  headers: HeaderList;
  /** The event's own type, id, source and time (a CloudEvent's), handed to the function as they are. */
  event: { type: string; id: string; source: string; time: string };
  /** This activation's span when the publisher sent a trace context. */
  traceparent?: string;
  /** The publisher's span in that trace context. */
  parentSpanId?: string;
}

/** A schedule's tick (always queued). */
export interface ScheduleInvocation extends Target {
  kind: "schedule";
  cron: string;
  /** The tick's time, ms since epoch. */
  tick: number;
}

/** A message on a NATS subject the function listens to. */
export interface SubjectInvocation extends Target {
  kind: "queue";
  subject: string;
  headers: HeaderList;
}

/** `ctx.invoke` from another function (sync or queued). */
export interface FunctionInvocation extends Target {
  kind: "function";
  trace: CallTrace;
  /** Caps the child's timeoutMs (the caller's remaining time, its timeoutMs option); sync only. */
  timeoutMs?: number;
}

/** One step of a sequence function, within the sequence's remaining time. */
export interface SequenceStep extends Target {
  kind: "step";
  trace: CallTrace;
  timeoutMs: number;
}

/** What can be queued to run later (src/queue): the cases that have an async form. */
export type QueuedInvocation =
  | Omit<HttpInvocation, "version">
  | EventInvocation
  | ScheduleInvocation
  | Omit<FunctionInvocation, "timeoutMs">;

/** A queued invocation's run (the first or a retry), under the activation id minted when it was queued. */
export interface AsyncRun {
  kind: "async";
  id: string;
  /** Runs started so far, this one included (retries and crash re-runs count); recorded on the activation. */
  attempts: number;
  /** When it was submitted (ms since epoch), for the record's queuedMs. */
  queuedAt?: number;
  run: QueuedInvocation;
}

/** One invocation, one case per way of being invoked; the dispatcher's only input. */
export type Invocation =
  | HttpInvocation
  | WebInvocation
  | EventInvocation
  | ScheduleInvocation
  | SubjectInvocation
  | FunctionInvocation
  | SequenceStep
  | AsyncRun;

/** One invocation to run later, durably (HTTP async, events, schedules, ctx.invoke with async: true). */
export interface Submission {
  invocation: QueuedInvocation;
  /** POST the result here when the activation ends (X-Callback-Url). */
  callbackUrl?: string;
  /** A repeated submission with the same key returns the first activation (Idempotency-Key). */
  idempotencyKey?: string;
  /** Digest of the request body, so key reuse with a different body is a 409. */
  bodyDigest?: string;
  /** Overrides the function's retry.attempts (ctx.invoke's `retries` + 1). */
  maxAttempts?: number;
}

export interface Submitted {
  activationId: string;
  /** True when an Idempotency-Key matched an earlier submission: nothing new was queued. */
  duplicate: boolean;
}

/** What triggers use to queue work; implemented by src/queue/async-queue.ts. */
export interface AsyncInvoker {
  submit(submission: Submission): Promise<Submitted>;
}

/** The trigger an activation records (a sequence step is a call from a function; a run keeps its own). */
export function triggerOf(inv: Invocation | QueuedInvocation): Trigger {
  switch (inv.kind) {
    case "step":
      return "function";
    case "async":
      return triggerOf(inv.run);
    default:
      return inv.kind;
  }
}

/** The invocation's place in a chain of calls and its trace, for its record and the host calls it makes. */
export function traceOf(inv: Invocation | QueuedInvocation): InvocationTrace {
  switch (inv.kind) {
    case "function":
    case "step":
      return inv.trace;
    case "http":
    case "event":
      return inv.traceparent === undefined
        ? { depth: 0 }
        : {
            depth: 0,
            traceparent: inv.traceparent,
            ...(inv.parentSpanId !== undefined ? { parentSpanId: inv.parentSpanId } : {}),
          };
    case "async":
      return traceOf(inv.run);
    default:
      return { depth: 0 };
  }
}

/** The fault profile the invocation carries (only `X-Runlet-Faults` on POST …/invoke sets one; never inherited). */
export function faultsOf(inv: Invocation | QueuedInvocation): FaultPlan | undefined {
  if (inv.kind === "async") return faultsOf(inv.run);
  return inv.kind === "http" ? inv.faults : undefined;
}

/** What the handler's `event` says of where it came from: its type and headers (DESIGN §2). */
export function eventOf(inv: Invocation | QueuedInvocation): {
  type: string;
  headers: HeaderList;
  origin?: { id: string; source: string; time: string };
} {
  switch (inv.kind) {
    case "http":
    case "web":
      return { type: `runlet.${inv.kind}`, headers: inv.headers };
    case "event": {
      const { type, ...origin } = inv.event;
      return { type, headers: inv.headers, origin };
    }
    case "schedule":
      return {
        type: "runlet.schedule",
        headers: [
          ["x-runlet-schedule", inv.cron],
          ["x-runlet-scheduled-time", new Date(inv.tick).toISOString()],
        ],
      };
    case "queue":
      return {
        type: `nats.${inv.subject}`,
        headers: [...inv.headers, ["x-runlet-subject", inv.subject]],
      };
    case "function":
    case "step":
      return { type: "runlet.function", headers: [] };
    case "async":
      return eventOf(inv.run);
  }
}

/** How an invocation ended, and the activation it left (absent: no such function or version to record under). */
export interface InvokeResult {
  outcome: Outcome;
  activation?: Activation;
}

/** A failed invocation as the one API error (`{"error": {code, message, activationId}}`); undefined if it succeeded. */
export function errorOf({ outcome, activation }: InvokeResult): RunletError | undefined {
  if (outcome.status === "succeeded") return undefined;
  return new RunletError(outcome.code, outcome.message, {
    ...(activation ? { activationId: activation.id } : {}),
    ...(outcome.headers ? { headers: outcome.headers } : {}),
  });
}

/** What runs an invocation (the dispatcher); triggers and gateways depend on this shape only. */
export interface Invoker {
  invoke(inv: Invocation): Promise<InvokeResult>;
}
