// The shapes an Instance (instance.ts) takes and keeps: its options, one invocation's input, and what it
// holds for an invocation until it ends.
import type { InvocationTrace, WebRequest } from "../model/invocation.js";
import type { Failed } from "../outcomes.js";
import type { BootOptions } from "./boot.js";
import type { CallHook, HostOps } from "./host-ops.js";
import type { LogCollector } from "./logs.js";
import type { RawOutcome } from "./outcome.js";
import type { ResponseStream, StreamHead } from "./response-stream.js";

export interface InstanceOptions extends BootOptions {
  /** What `ctx.invoke`, `ctx.secrets`, `ctx.kv` and `fetch` reach; without it they fail cleanly. */
  ops?: HostOps;
  /**
   * V8 lost control of the isolate (a fatal out-of-memory inside V8 itself). Its thread never finishes,
   * so the process that owns it cannot exit normally: the owner counts these (Scheduler.lostIsolates).
   */
  onLost?: () => void;
}

export interface InvocationInput {
  id: string;
  deadline: number;
  event: {
    id: string;
    type: string;
    source: string;
    time: string;
    payload: unknown;
    headers: [string, string][];
  };
  request?: WebRequest;
  trace?: InvocationTrace;
  /** What stands between this invocation's host calls and the operations (never sent into the isolate). */
  hook?: CallHook;
  /** Web requests: called with the head when the function streams its response body (see response-stream.ts). */
  onStream?: (head: StreamHead) => void;
}

export interface Pending {
  deadline: number;
  trace: InvocationTrace;
  hook?: CallHook;
  started: number;
  timeoutMs: number;
  timer: NodeJS.Timeout;
  collector: LogCollector;
  /** A web request: only its answer may be an HTTP response (answer-check.ts). */
  web: boolean;
  stream?: ResponseStream;
  resolve(outcome: RawOutcome): void;
}

export type Failure = Pick<Failed, "status" | "code" | "message">;
