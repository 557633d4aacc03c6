import type { HostOps } from "../runtime/host-ops.js";
import type { Secrets } from "./secrets.js";

/**
 * `ctx.secrets.get(key)` / `ctx.secrets.set(key, value)`: always in the caller's own account, which the
 * host fixed from the invocation; nothing the function passes can name another account.
 */
export function registerSecretOps(ops: HostOps, secrets: Secrets): void {
  ops.register("secrets.get", async (caller, args) => {
    const { key } = (args ?? {}) as { key?: unknown };
    return (await secrets.get(caller.account, key as string)) ?? null;
  });
  ops.register("secrets.set", async (caller, args) => {
    const { key, value } = (args ?? {}) as { key?: unknown; value?: unknown };
    await secrets.set(caller.account, key as string, value as string);
    return null;
  });
}
