// The `ctx` object a handler receives (DESIGN §2). Everything that needs the host goes through
// `hostCall`, tagged with this activation's id; the host decides what the caller may do.
import { consoleFor, type ConsoleLike } from "./console.js";
import { hostCall } from "./hostcall.js";
import { load } from "./lazy.js";

export interface InvokeOptions {
  /** Queue the child and resolve with `{ activationId }` at once. */
  async?: boolean;
  /** At most the caller's remaining time. */
  timeoutMs?: number;
  /** Attempts after the first, for async children. */
  retries?: number;
}

export interface KvListOptions {
  prefix?: string;
  limit?: number;
  cursor?: string;
}

function kvNamespace(activationId: string, namespace: string) {
  return {
    async get(key: string): Promise<unknown> {
      const json = (await hostCall(activationId, "kv.get", { namespace, key: String(key) })) as string | null;
      return json === null || json === undefined ? undefined : JSON.parse(json);
    },
    async set(key: string, value: unknown, options: { ttlSeconds?: number } = {}): Promise<void> {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError("kv.set: the value must be JSON-serializable");
      const args = {
        namespace,
        key: String(key),
        ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: Number(options.ttlSeconds) }),
      };
      await hostCall(activationId, "kv.set", args, json);
    },
    async delete(key: string): Promise<boolean> {
      return (await hostCall(activationId, "kv.delete", { namespace, key: String(key) })) === true;
    },
    async list(options: KvListOptions = {}): Promise<{ keys: string[]; next?: string }> {
      return (await hostCall(activationId, "kv.list", { namespace, ...options })) as {
        keys: string[];
        next?: string;
      };
    },
  };
}

export interface ContextInput {
  activationId: string;
  deadline: number;
  account: string;
  name: string;
  version: number;
  env: Readonly<Record<string, string>>;
}

export function makeContext(input: ContextInput): Record<string, unknown> & { console: ConsoleLike } {
  const id = input.activationId;
  const log = consoleFor(() => id);
  const kv = Object.assign(kvNamespace(id, "default"), {
    namespace: (name: string) => Object.freeze(kvNamespace(id, String(name))),
  });
  return {
    activationId: id,
    deadline: input.deadline,
    account: input.account,
    function: Object.freeze({ name: input.name, version: input.version }),
    env: input.env,
    log: log.log,
    console: log,
    secrets: Object.freeze({
      async get(key: string): Promise<string | undefined> {
        const value = (await hostCall(id, "secrets.get", { key: String(key) })) as string | null;
        return value ?? undefined;
      },
      async set(key: string, value: string): Promise<void> {
        await hostCall(id, "secrets.set", { key: String(key) }, String(value));
      },
    }),
    kv: Object.freeze(kv),
    invoke(name: string, payload?: unknown, options: InvokeOptions = {}): Promise<unknown> {
      const json = JSON.stringify(payload ?? null);
      return hostCall(id, "invoke", { name: String(name), options: { ...options } }, json);
    },
    // The global fetch, but attributed to this activation even with several in flight on the instance.
    fetch: (input: unknown, init?: unknown) =>
      load.fetch().fetchFor(() => id)(input as string, init as undefined),
  };
}
