/** The host callbacks an isolate is given; everything else of the host stays out of reach. */
export interface HostHooks {
  log(id: string, level: string, msg: string): void;
  setTimer(id: number, ms: number): void;
  clearTimer(id: number): void;
  /** An answer that came after its batch call returned: untrusted, checked by answer-check.ts. */
  done(id: unknown, envelope: unknown): void;
  call(activationId: string, callId: number, op: string, args: unknown): void;
  /** V8 lost control of the isolate (a fatal out-of-memory): it must never be entered again. */
  catastrophe?(message: string): void;
}
