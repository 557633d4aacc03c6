import type { Kysely } from "kysely";
import type { Deployment } from "../../model/function.js";
import type { DeploymentRepository } from "../store.js";
import type { Database } from "../schema.js";
import type { RepositoryContext } from "./context.js";

/**
 * Appends a deployment with the function's next sequence number. Call inside the transaction that has
 * just updated the function row: on PostgreSQL that row lock serialises concurrent deploys, so two of
 * them never read the same max(seq).
 */
export async function appendDeployment(trx: Kysely<Database>, deployment: Deployment): Promise<void> {
  const last = await trx
    .selectFrom("deployments")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("account", "=", deployment.account)
    .where("function", "=", deployment.function)
    .executeTakeFirst();
  await trx
    .insertInto("deployments")
    .values({
      account: deployment.account,
      function: deployment.function,
      seq: (last?.seq ?? 0) + 1,
      version: deployment.version,
      at: deployment.at,
      by: deployment.by ?? null,
      canary_version: deployment.canary?.version ?? null,
      canary_weight: deployment.canary?.weight ?? null,
      reason: deployment.reason ?? null,
    })
    .execute();
}

export function deploymentRepository({ db }: RepositoryContext): DeploymentRepository {
  return {
    async list(account, name, limit) {
      const rows = await db
        .selectFrom("deployments")
        .select(["account", "function", "version", "at", "by", "canary_version", "canary_weight", "reason"])
        .where("account", "=", account)
        .where("function", "=", name)
        .orderBy("seq", "desc")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        account: row.account,
        function: row.function,
        version: row.version,
        ...(row.canary_version !== null
          ? { canary: { version: row.canary_version, weight: row.canary_weight ?? 0 } }
          : {}),
        ...(row.reason !== null ? { reason: row.reason } : {}),
        at: row.at,
        ...(row.by !== null ? { by: row.by } : {}),
      }));
    },
  };
}
