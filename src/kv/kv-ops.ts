import type { HostOps } from "../runtime/host-ops.js";
import { MAX_VALUE_BYTES, type KvStore } from "./kv-store.js";

interface KvArgs {
  namespace?: unknown;
  key?: unknown;
  json?: unknown;
  ttlSeconds?: unknown;
  prefix?: unknown;
  limit?: unknown;
  cursor?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** `ctx.kv` and `ctx.kv.namespace(ns)`: always the caller's own account, fixed by the host. */
export function registerKvOps(ops: HostOps, kv: KvStore): void {
  ops.register("kv.get", async (caller, args) => {
    const a = (args ?? {}) as KvArgs;
    return (await kv.get(caller.account, a.namespace as string, a.key as string))?.value ?? null;
  });
  ops.register(
    "kv.set",
    async (caller, args) => {
      const a = (args ?? {}) as KvArgs;
      const ttl = a.ttlSeconds === undefined ? undefined : (a.ttlSeconds as number);
      await kv.set(caller.account, a.namespace as string, a.key as string, a.json as string, ttl);
      return null;
      // The value as JSON text: at most as many characters as the byte limit kv-store checks after.
    },
    { field: "json", max: MAX_VALUE_BYTES, unit: "characters", what: "ctx.kv.set: the value as JSON" },
  );
  ops.register("kv.delete", async (caller, args) => {
    const a = (args ?? {}) as KvArgs;
    return kv.delete(caller.account, a.namespace as string, a.key as string);
  });
  ops.register("kv.list", async (caller, args) => {
    const a = (args ?? {}) as KvArgs;
    const page = await kv.list(caller.account, a.namespace as string, {
      prefix: text(a.prefix),
      limit: a.limit === undefined ? undefined : (a.limit as number),
      cursor: text(a.cursor),
    });
    return { keys: page.entries.map((e) => e.key), ...(page.next ? { next: page.next } : {}) };
  });
}
