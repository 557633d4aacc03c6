// Asynchronous calls out to the host (ctx.invoke, ctx.secrets, ctx.kv, fetch): one fire-and-forget
// binding out, the `reply` entry point (prelude.ts) back in. The host decides who the caller is from the activation id.

interface Waiting {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

let send: RunletHostBindings["call"] | undefined;
const waiting = new Map<number, Waiting>();
let nextCall = 1;

export function installHostCall(host: Pick<RunletHostBindings, "call">): void {
  send = host.call;
}

/**
 * Asks the host to run `op` for the activation `activationId`; resolves with its (cloned) result. `args`
 * travel as JSON; `blob` is the call's one large argument (a kv value, a secret, a body, a payload), which
 * the gate measures before anything is copied (sandbox/gate.ts).
 */
export function hostCall(
  activationId: string,
  op: string,
  args: unknown,
  blob: string | ArrayBuffer | null = null,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = nextCall++;
    waiting.set(id, { resolve, reject });
    if (!send) {
      waiting.delete(id);
      reject(new Error("host calls are not available"));
      return;
    }
    send(activationId, id, op, JSON.stringify(args ?? null), blob);
  });
}

/** Called by the host (through the `reply` entry point) when an operation finishes. */
export function reply(id: number, ok: boolean, value: unknown): void {
  const entry = waiting.get(id);
  if (!entry) return;
  waiting.delete(id);
  if (ok) {
    entry.resolve(value);
    return;
  }
  const failure = (value ?? {}) as { name?: string; code?: string; message?: string; activationId?: string };
  const err =
    failure.name === "TypeError" ? new TypeError(failure.message ?? "") : new Error(failure.message ?? "");
  if (failure.name && failure.name !== "TypeError" && failure.name !== "Error") err.name = failure.name;
  (err as Error & { code?: string }).code = failure.code ?? "RUNLET_ERR_PLATFORM";
  if (failure.activationId) (err as Error & { activationId?: string }).activationId = failure.activationId;
  entry.reject(err);
}

/** Forgets every outstanding call (the isolate has nothing in flight any more). */
export function dropAll(): void {
  waiting.clear();
}
