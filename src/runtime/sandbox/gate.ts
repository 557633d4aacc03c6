// Runs first in every isolate, before the prelude and long before the tenant's code. The host's raw
// callbacks copy every argument out of the isolate whole, before the host sees it; so they are kept here,
// in a closure nothing else can reach, and the prelude gets wrappers that measure each argument where it
// lies (a string's length, an ArrayBuffer's byteLength, through built-ins captured now, before anyone could
// patch them) and never pass on more than the host's limit for that operation. An oversized argument goes
// out as its size alone, and the host answers the call with RUNLET_ERR_PAYLOAD_TOO_LARGE. The host sets the
// limits once, through `__runlet_gate`, which it takes off the global object before the prelude runs; it
// checks again what it receives (src/runtime/host-arguments.ts): this file is the "before the copy" half.
export {};

/** The host's own callbacks, as installed by src/runtime/spares.ts. */
interface RawBindings {
  log(activationId: string, level: string, message: string): void;
  setTimer(id: number, ms: number): void;
  clearTimer(id: number): void;
  call(
    activationId: string,
    callId: number,
    op: string,
    json: string | null,
    blob: string | ArrayBuffer | null,
    jsonSize: number,
    blobSize: number,
  ): void;
  done(activationId: string, envelope: unknown): void;
  sync(op: string, a?: unknown): unknown;
  /** The function's memoryMb in bytes, and the synchronous "over it" signal (sandbox/memory-limits.ts). */
  memoryBytes: number;
  memoryExceeded(): void;
}

const g = globalThis as unknown as Record<string, unknown>;
const raw = g.__runlet_host as RawBindings;
const { log, setTimer, clearTimer, call, done, sync, memoryBytes, memoryExceeded } = raw;
const apply = Reflect.apply;
const create = Object.create;
const sliceString = String.prototype.slice;
const bufferBytes = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!.get!;

/** Names and ids the prelude passes (activation ids, op names, levels) are short; longer is not ours. */
const SHORT = 128;

interface Limits {
  /** Largest blob (the one large argument: a value, a body, a payload) per operation; absent: none. */
  blobs: Record<string, number>;
  /** Largest JSON text of an operation's other arguments. */
  argsChars: number;
  /** Longest log line passed on (the activation's whole log budget, plus one to show it was cut). */
  logChars: number;
}

let limits: Limits | undefined;

/** A blob's size: characters of a string, bytes of an ArrayBuffer; -1 for anything else. */
function sizeOf(value: unknown): number {
  if (value === null) return 0;
  if (typeof value === "string") return value.length;
  if (typeof value !== "object") return -1;
  try {
    return apply(bufferBytes, value, []) as number;
  } catch {
    return -1; // not an ArrayBuffer (a view, a SharedArrayBuffer, a proxy)
  }
}

const short = (value: unknown): value is string => typeof value === "string" && value.length <= SHORT;

const gated: Omit<RawBindings, "call"> & {
  call(
    activationId: string,
    callId: number,
    op: string,
    json: string,
    blob: string | ArrayBuffer | null,
  ): void;
} = {
  log(activationId, level, message) {
    if (!limits || !short(activationId)) return;
    let text = typeof message === "string" ? message : "";
    if (text.length > limits.logChars) text = apply(sliceString, text, [0, limits.logChars + 1]) as string;
    log(activationId, short(level) ? level : "log", text);
  },
  setTimer(id, ms) {
    if (typeof id === "number" && typeof ms === "number") setTimer(id, ms);
  },
  clearTimer(id) {
    if (typeof id === "number") clearTimer(id);
  },
  call(activationId, callId, op, json, blob) {
    if (!limits || !short(activationId) || typeof callId !== "number" || !short(op)) return;
    const jsonSize = typeof json === "string" ? json.length : -1;
    const blobSize = blob === undefined ? 0 : sizeOf(blob);
    const fits =
      jsonSize >= 0 && jsonSize <= limits.argsChars && blobSize >= 0 && blobSize <= (limits.blobs[op] ?? 0);
    if (fits) call(activationId, callId, op, json, blob ?? null, jsonSize, blobSize);
    else call(activationId, callId, op, null, null, jsonSize, blobSize);
  },
  done,
  memoryBytes,
  // No arguments cross: nothing to measure.
  memoryExceeded() {
    memoryExceeded();
  },
  sync(op, a) {
    if (short(op) && (typeof a === "number" || short(a))) return sync(op, a);
    throw new TypeError("bad host operation");
  },
};

g.__runlet_host = gated;
Object.defineProperty(g, "__runlet_gate", {
  configurable: true,
  value(ops: string[], caps: number[], argsChars: number, logChars: number): void {
    if (limits) return;
    const blobs = create(null) as Record<string, number>;
    for (let i = 0; i < ops.length; i++) blobs[ops[i]!] = caps[i]!;
    limits = { blobs, argsChars, logChars };
  },
});
