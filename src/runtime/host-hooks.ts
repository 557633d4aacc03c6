import type { RawArguments } from "./host-arguments.js";

/** The host callbacks an isolate is given; everything else of the host stays out of reach. */
export interface HostHooks {
  log(id: string, level: string, msg: string): void;
  setTimer(id: number, ms: number): void;
  clearTimer(id: number): void;
  /** An answer that came after its batch call returned: untrusted, checked by answer-check.ts. */
  done(id: unknown, envelope: unknown): void;
  /** A host call, its arguments as the gate passed them (checked by host-arguments.ts before use). */
  call(activationId: string, callId: number, op: string, args: RawArguments): void;
  /** V8 lost control of the isolate (a fatal out-of-memory): it must never be entered again. */
  catastrophe?(message: string): void;
  /** The prelude refused WebAssembly memory or a resizable buffer past memoryMb (the isolate says so: untrusted). */
  memoryExceeded?(): void;
}
