import { RunletError } from "../errors.js";
import { HostCallError, type HostOps } from "../runtime/host-ops.js";
import type { LambdaIds } from "./lambda-ids.js";

/**
 * `lambdas.name`: a function's UUID (or name) → its name, in the caller's own account. The Toolbelt's
 * OrchestratorClient invokes by the UUIDs hosted-platform lambdas carry; ctx.invoke takes names.
 */
export function registerCompatOps(ops: HostOps, ids: LambdaIds): void {
  ops.register("lambdas.name", async (caller, args) => {
    const { uuid } = (args ?? {}) as { uuid?: unknown };
    if (typeof uuid !== "string" || uuid.length > 200) {
      throw new HostCallError("RUNLET_ERR_BAD_REQUEST", "the lambda's uuid must be a string", "TypeError");
    }
    try {
      return await ids.resolve(caller.account, uuid);
    } catch (err) {
      if (err instanceof RunletError) throw new HostCallError(err.code, err.message);
      throw err;
    }
  });
}
