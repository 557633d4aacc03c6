import type { HandlerStyle } from "../model/function.js";
import type { Failed } from "../outcomes.js";
import type { InvocationInput, RawOutcome } from "./instance.js";

/**
 * What pools and the dispatcher hold of a running instance: an isolate in this process (Instance), or,
 * under `runlet dev --inspect`, one in a child process open to a debugger (inspector/remote-instance.ts).
 */
export interface InstanceHandle {
  readonly style: HandlerStyle;
  readonly startMs: number;
  /** Slots handed out by the pool (invocations admitted to this instance). */
  readonly inFlight: number;
  /** When the last slot was given back. */
  readonly lastUsed: number;
  readonly alive: boolean;
  /** Whether the pool may admit another invocation (alive, and not retiring after a neighbour timed out). */
  readonly accepting: boolean;
  /** Memory the isolate holds, as last measured by measure(). */
  footprintBytes: number;
  measuredAt: number;
  admit(): void;
  vacate(): void;
  /** Runs one invocation; never throws (every failure is an outcome). */
  invoke(input: InvocationInput, timeoutMs: number): Promise<RawOutcome>;
  measure(): Promise<number>;
  /** Ends the instance and whatever runs on it with `failure`. */
  stop(failure: Pick<Failed, "status" | "code" | "message">): void;
  dispose(): void;
}
