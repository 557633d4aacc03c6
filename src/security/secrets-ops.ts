import type { BlobArgument, HostOps } from "../runtime/host-ops.js";
import { MAX_SECRET_CHARS, type Secrets } from "./secrets.js";

/** What a function's change to a secret is recorded as (platform.audit; API changes are recorded by the gateway). */
export interface SecretChange {
  account: string;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

/** The value of `ctx.secrets.set`, bounded before it leaves the isolate. */
export const SECRET_VALUE: BlobArgument = {
  field: "value",
  max: MAX_SECRET_CHARS,
  unit: "characters",
  what: "ctx.secrets.set: the value",
};

/**
 * `ctx.secrets.get(key)` / `ctx.secrets.set(key, value)`: always in the caller's own account, which the
 * host fixed from the invocation; nothing the function passes can name another account.
 */
export function registerSecretOps(
  ops: HostOps,
  secrets: Secrets,
  onChange: (change: SecretChange) => void = () => {},
): void {
  ops.register("secrets.get", async (caller, args) => {
    const { key } = (args ?? {}) as { key?: unknown };
    return (await secrets.get(caller.account, key as string)) ?? null;
  });
  ops.register(
    "secrets.set",
    async (caller, args) => {
      const { key, value } = (args ?? {}) as { key?: unknown; value?: unknown };
      await secrets.set(caller.account, key as string, value as string);
      onChange({
        account: caller.account,
        actor: `function:${caller.function}`,
        action: "secret.put",
        target: key as string,
        detail: { version: caller.version, activationId: caller.activationId },
      });
      return null;
    },
    SECRET_VALUE,
  );
}
