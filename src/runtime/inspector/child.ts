// `runlet dev --inspect`: one instance of one function version, in a process of its own, its isolate open
// to V8's inspector. The parent (remote-instance.ts) relays invocations, host operations and debugger
// sessions, and ends this process with SIGKILL: an inspector isolate is never disposed (see Spare.inspector).
import type ivm from "isolated-vm-types";
import { HostOps, HostCallError, type BlobArgument, type Caller } from "../host-ops.js";
import { Instance, ModuleLoadError, type InvocationInput } from "../instance.js";
import { SparePool } from "../spares.js";
import type { ErrorCode } from "../../errors.js";
import { SessionRelay } from "./session-relay.js";
import { ATTACHED_TIMEOUT_MS, type ChildBoot, type FromChild, type ToChild } from "./protocol.js";

const send = (message: FromChild): void => void process.send?.(message);

// The parent went away (even by SIGKILL): end at once, disposing nothing.
process.on("disconnect", () => process.kill(process.pid, "SIGKILL"));

/** Host operations, run by the parent: the child holds no store, no secrets and no network access. */
class RelayOps extends HostOps {
  #next = 0;
  readonly waiting = new Map<
    number,
    { caller: Caller; resolve(value: unknown): void; reject(err: unknown): void }
  >();

  constructor(private readonly limits: Map<string, BlobArgument>) {
    super();
  }

  override blob(name: string): BlobArgument | undefined {
    return this.limits.get(name);
  }

  override blobs(): [string, BlobArgument][] {
    return [...this.limits];
  }

  override call(caller: Caller, op: string, args: unknown): Promise<unknown> {
    const callId = ++this.#next;
    const plain: Omit<Caller, "log"> = {
      account: caller.account,
      function: caller.function,
      version: caller.version,
      activationId: caller.activationId,
      deadline: caller.deadline,
      depth: caller.depth,
      chain: caller.chain,
      ...(caller.traceparent ? { traceparent: caller.traceparent } : {}),
    };
    return new Promise((resolve, reject) => {
      this.waiting.set(callId, { caller, resolve, reject });
      send({ type: "call", callId, caller: plain, op, args });
    });
  }
}

let instance: Instance | undefined;
let isolate: ivm.Isolate | undefined;
let ops: RelayOps | undefined;
const sessions = new Map<number, SessionRelay>();

async function boot({ blobs, sourceMap, ...options }: ChildBoot): Promise<void> {
  ops = new RelayOps(new Map(blobs));
  // The debugger finds the author's files through the map (an inline data: URL needs no server).
  const code =
    sourceMap === undefined
      ? options.code
      : `${options.code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(sourceMap).toString("base64")}\n`;
  try {
    instance = await Instance.start({
      ...options,
      code,
      ops,
      spares: new SparePool(0, { onTake: (spare) => (isolate = spare.isolate) }),
      onLost: () => send({ type: "lost" }),
    });
    send({ type: "booted", style: instance.style, startMs: instance.startMs });
  } catch (err) {
    const moduleError = err instanceof ModuleLoadError;
    send({
      type: "boot-failed",
      moduleError,
      code: moduleError ? err.code : "RUNLET_ERR_PLATFORM",
      message: err instanceof Error ? err.message : String(err),
    });
  }
}

function invoke(
  running: Instance,
  input: Omit<InvocationInput, "onStream">,
  stream: boolean,
  timeoutMs: number,
): void {
  const attached = sessions.size > 0;
  const limitMs = attached ? ATTACHED_TIMEOUT_MS : timeoutMs;
  const job: InvocationInput = {
    ...input,
    deadline: attached ? Date.now() + ATTACHED_TIMEOUT_MS : input.deadline,
    ...(stream
      ? {
          onStream: ({ status, headers, body }) => {
            send({ type: "stream-start", id: input.id, status, headers });
            body.on("data", (chunk: Buffer) => send({ type: "stream-chunk", id: input.id, chunk }));
            body.on("end", () => send({ type: "stream-end", id: input.id }));
            body.on("error", (err) => send({ type: "stream-end", id: input.id, error: err.message }));
          },
        }
      : {}),
  };
  void running
    .invoke(job, limitMs)
    .then((outcome) => send({ type: "outcome", id: input.id, outcome, alive: running.alive }));
}

function openSession(id: number): void {
  if (!isolate || sessions.has(id)) return;
  sessions.set(
    id,
    new SessionRelay(isolate, (message) => send({ type: "session-message", session: id, message })),
  );
}

process.on("message", (message: ToChild) => {
  switch (message.type) {
    case "boot":
      return void boot(message.boot);
    case "invoke":
      if (instance) invoke(instance, message.input, message.stream, message.timeoutMs);
      return;
    case "answer": {
      const waiting = ops?.waiting.get(message.callId);
      ops?.waiting.delete(message.callId);
      if (!waiting) return;
      if (message.ok) return waiting.resolve(message.value);
      const { code, message: text, name, activationId } = message.failure;
      return waiting.reject(new HostCallError(code as ErrorCode, text, name, activationId));
    }
    case "log":
      return ops?.waiting.get(message.callId)?.caller.log(message.level, message.message);
    case "session-open":
      return openSession(message.session);
    case "session-message":
      return sessions.get(message.session)?.dispatch(message.message);
    case "session-close": {
      // Ending the session resumes a paused isolate, as closing DevTools does for node --inspect.
      const session = sessions.get(message.session);
      sessions.delete(message.session);
      return session?.dispose();
    }
  }
});
