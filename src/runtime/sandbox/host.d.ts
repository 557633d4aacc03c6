// The only things of the host an isolate sees: these callbacks, installed as `__runlet_host` before the
// prelude runs (wrapped by the gate, sandbox/gate.ts, which bounds every argument before the host copies
// it), captured by the prelude and removed from the global object.
interface RunletHostBindings {
  /** Fire-and-forget; the host checks the activation id and enforces the log limits. */
  log(activationId: string, level: string, message: string): void;
  /** Fire-and-forget; the host calls the `fire` entry point with `id` after `ms`, while an activation is in flight. */
  setTimer(id: number, ms: number): void;
  clearTimer(id: number): void;
  /**
   * Fire-and-forget: asks the host to run operation `op` for `activationId` with `json` (its arguments as
   * JSON text) and `blob` (its one large argument, if it has one: a value, a body, a payload); the host
   * answers through the `reply` entry point `(callId, ok, value)`.
   */
  call(
    activationId: string,
    callId: number,
    op: string,
    json: string,
    blob: string | ArrayBuffer | null,
  ): void;
  /** Fire-and-forget: the answer of a batched job that finished after its batch call returned. */
  done(activationId: string, envelope: Envelope): void;
  /**
   * Synchronous, constant-size host work only: "random" (at most 64 bytes from the host's CSPRNG, as a
   * fresh ArrayBuffer), "lib" (runs one of the prebuilt libraries of sandbox/libs.ts in this isolate).
   */
  sync(op: string, a?: unknown, b?: unknown, c?: unknown): unknown;
  /** The function's memoryMb in bytes: WebAssembly memory and resizable buffers count against it. */
  memoryBytes: number;
  /** Synchronous: memory past `memoryBytes` was refused; the host ends the instance (resource_exceeded). */
  memoryExceeded(): void;
}

/** What the host passes once per instance, after the user's module has been evaluated. */
interface SetupOptions {
  account: string;
  name: string;
  version: number;
  env: Record<string, string>;
  logLines: number;
  logBytes: number;
  responseBytes: number;
}

/** One invocation, as JSON text from the host. */
interface Job {
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
  /** Present for web functions (/fn/…): the raw HTTP request. */
  request?: { method: string; url: string; headers: [string, string][]; body: string | null };
  /** The host can take a streamed response body (ops "response.start" and "response.write"). */
  stream?: boolean;
}

type Envelope =
  | { ok: true; kind: "json"; body: string }
  | { ok: true; kind: "http"; status: number; headers: [string, string][]; body: string | ArrayBuffer | null }
  | {
      ok: false;
      code: "function_error" | "invalid_result" | "result_too_large" | "invalid_response_json";
      message: string;
    };
