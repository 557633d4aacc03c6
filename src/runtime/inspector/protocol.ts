// The messages between `runlet dev --inspect` and the child process that runs the function's instance
// (child.ts), over the fork's IPC channel with structured-clone serialisation (ArrayBuffers pass whole).
import type { BootOptions } from "../boot.js";
import type { Caller, BlobArgument, HostFailure } from "../host-ops.js";
import type { InvocationInput, RawOutcome } from "../instance.js";
import type { LogLine } from "../../model/activation.js";
import type { HandlerStyle } from "../../model/function.js";

/**
 * How long an invocation may run while a debugger is attached: a paused breakpoint must not end it as a
 * timeout. Without a debugger the function's own timeout holds.
 */
export const ATTACHED_TIMEOUT_MS = 3_600_000;

/** What the child needs to start its instance: BootOptions without the host's objects. */
export type ChildBoot = Omit<BootOptions, "spares" | "codeCache"> & {
  /** The host operations' blob limits, so the child's gate bounds arguments as the server's does. */
  blobs: [string, BlobArgument][];
  /** The version's source map, handed to the debugger as the script's sourceMappingURL. */
  sourceMap?: string;
};

export type ToChild =
  | { type: "boot"; boot: ChildBoot }
  | { type: "invoke"; input: Omit<InvocationInput, "onStream">; stream: boolean; timeoutMs: number }
  | { type: "answer"; callId: number; ok: true; value: unknown }
  | { type: "answer"; callId: number; ok: false; failure: HostFailure }
  /** A host operation logged into the calling activation (Caller.log). */
  | { type: "log"; callId: number; level: LogLine["level"]; message: string }
  | { type: "session-open"; session: number }
  | { type: "session-message"; session: number; message: string }
  | { type: "session-close"; session: number };

export type FromChild =
  | { type: "booted"; style: HandlerStyle; startMs: number }
  | { type: "boot-failed"; moduleError: boolean; code: string; message: string }
  | { type: "outcome"; id: string; outcome: RawOutcome; alive: boolean }
  | { type: "call"; callId: number; caller: Omit<Caller, "log">; op: string; args: unknown }
  | { type: "stream-start"; id: string; status: number; headers: [string, string][] }
  | { type: "stream-chunk"; id: string; chunk: Uint8Array }
  | { type: "stream-end"; id: string; error?: string }
  | { type: "session-message"; session: number; message: string }
  | { type: "lost" };
