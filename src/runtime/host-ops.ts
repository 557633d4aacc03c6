import type { ErrorCode } from "../errors.js";
import type { LogLine } from "../model/activation.js";

/** Who is calling out of the sandbox: fixed by the host from the invocation, never from the function. */
export interface Caller {
  account: string;
  function: string;
  version: number;
  activationId: string;
  /** Epoch ms by which the calling invocation must end; host work past it is pointless. */
  deadline: number;
  /** How many `ctx.invoke` hops led here (0 for an invocation from outside). */
  depth: number;
  /** W3C trace context of the calling invocation: for correlation only, never to key a limit. */
  traceparent?: string;
  /** The chain of calls this invocation is in, named by the host (InvocationTrace.chain). */
  chain: string;
  /** Appends a line to the calling activation's log (e.g. why an outbound request was blocked). */
  log(level: LogLine["level"], message: string): void;
  /** Stands between this invocation's host calls and the operations (fault injection, recording, replay). */
  hook?: CallHook;
}

/**
 * Sees every host call of one invocation before its operation runs: may answer it (a replayed answer, an
 * injected fault), fail it, or run it (`next`) and look at the answer. Set by the dispatcher, per invocation.
 */
export interface CallHook {
  call(caller: Caller, name: string, args: unknown, next: () => Promise<unknown>): Promise<unknown>;
}

/**
 * What a host operation throws to fail the sandbox-side promise: the function sees an Error with this
 * `name`, `code` and `message` (so `err.code === "RUNLET_ERR_FETCH_BLOCKED"` can be tested for).
 */
export class HostCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errorName = "Error",
    /** The activation the failure happened in (a failed `ctx.invoke` child), set on the Error too. */
    readonly activationId?: string,
  ) {
    super(message);
  }
}

/** One operation a function can ask the host for; `args` arrive as checked JSON (host-arguments.ts). */
export type HostOp = (caller: Caller, args: unknown) => Promise<unknown>;

/**
 * The one large argument an operation takes (a secret's value, a kv value, a fetch body, an invoke
 * payload): the isolate's gate measures it before anything is copied and refuses it over `max`.
 */
export interface BlobArgument {
  /** Where the operation finds it in its args; "" when it is the whole argument. */
  field: string;
  /** Most characters (a string) or bytes (an ArrayBuffer). */
  max: number;
  unit: "characters" | "bytes";
  /** What it is, for the refusal: "ctx.secrets.set: the value". */
  what: string;
  /** The Error class the function sees (fetch rejects with TypeError, as the standard says). */
  errorName?: string;
}

/**
 * The registry of host operations (`invoke`, `secrets.get`, `kv.set`, `fetch`, …) behind the sandbox's
 * single `call` binding. Features register their operations when the platform is wired; the sandbox
 * can reach nothing else of the host.
 */
export class HostOps {
  #ops = new Map<string, HostOp>();
  #blobs = new Map<string, BlobArgument>();

  /** Registers `op` as `name`; one that replaces another keeps its blob unless given one. */
  register(name: string, op: HostOp, blob?: BlobArgument): this {
    this.#ops.set(name, op);
    if (blob) this.#blobs.set(name, blob);
    return this;
  }

  /** The large argument `name` takes, if any. */
  blob(name: string): BlobArgument | undefined {
    return this.#blobs.get(name);
  }

  /** Every operation's blob limit, as the isolate's gate is configured with. */
  blobs(): [string, BlobArgument][] {
    return [...this.#blobs];
  }

  has(name: string): boolean {
    return this.#ops.has(name);
  }

  async call(caller: Caller, name: string, args: unknown): Promise<unknown> {
    const op = this.#ops.get(name);
    if (!op) {
      throw new HostCallError(
        "RUNLET_ERR_UNSUPPORTED",
        `${name} is not available here (it needs a running Runlet server; \`runlet invoke --local\` has no ${name.split(".")[0]})`,
      );
    }
    const hook = caller.hook;
    return hook ? hook.call(caller, name, args, () => op(caller, args)) : op(caller, args);
  }
}

/** Serializable form of a failure, as the sandbox receives it. */
export interface HostFailure {
  name: string;
  code: string;
  message: string;
  activationId?: string;
}

export function failureOf(err: unknown): HostFailure {
  if (err instanceof HostCallError) {
    const failure: HostFailure = { name: err.errorName, code: err.code, message: err.message };
    if (err.activationId !== undefined) failure.activationId = err.activationId;
    return failure;
  }
  const code = (err as { code?: unknown })?.code;
  return {
    name: "Error",
    code: typeof code === "string" && code.startsWith("RUNLET_ERR_") ? code : "RUNLET_ERR_PLATFORM",
    message: err instanceof Error ? err.message : String(err),
  };
}
