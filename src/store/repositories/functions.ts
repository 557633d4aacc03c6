import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AutoRollback, Canary, FunctionRecord } from "../../model/function.js";
import type { FunctionRepository } from "../store.js";
import type { Database, FunctionsTable } from "../schema.js";
import { orConflict } from "./context.js";
import type { RepositoryContext } from "./context.js";
import { appendDeployment } from "./deployments.js";
import { toVersionRow } from "./versions.js";

function toFunction(row: FunctionsTable): FunctionRecord {
  return {
    account: row.account,
    name: row.name,
    uuid: row.uuid,
    latestVersion: row.latest_version,
    deployedVersion: row.deployed_version,
    everDeployed: row.ever_deployed !== 0,
    ...(row.canary_version !== null ? { canary: canaryOf(row) } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function canaryOf(row: FunctionsTable): Canary {
  return {
    version: row.canary_version!,
    weight: row.canary_weight ?? 0,
    since: row.canary_since ?? row.updated_at,
    ...(row.canary_rollback ? { autoRollback: JSON.parse(row.canary_rollback) as AutoRollback } : {}),
  };
}

/** The four canary columns for a canary, or all NULL for none. */
function canaryColumns(canary: Canary | null) {
  return {
    canary_version: canary?.version ?? null,
    canary_weight: canary?.weight ?? null,
    canary_since: canary?.since ?? null,
    canary_rollback: canary?.autoRollback ? JSON.stringify(canary.autoRollback) : null,
  };
}

async function getFunction(db: Kysely<Database>, account: string, name: string) {
  const row = await db
    .selectFrom("functions")
    .selectAll()
    .where("account", "=", account)
    .where("name", "=", name)
    .executeTakeFirst();
  return row && toFunction(row);
}

/** Deletes all but the newest `keep` versions, sparing the deployed one and the canary. */
async function pruneVersions(trx: Kysely<Database>, fn: FunctionRecord, keep: number): Promise<void> {
  const rows = await trx
    .selectFrom("versions")
    .select("version")
    .where("account", "=", fn.account)
    .where("function", "=", fn.name)
    .orderBy("version", "desc")
    .execute();
  const drop = rows
    .slice(keep)
    .map((row) => row.version)
    .filter((version) => version !== fn.deployedVersion && version !== fn.canary?.version);
  if (drop.length === 0) return;
  await trx
    .deleteFrom("versions")
    .where("account", "=", fn.account)
    .where("function", "=", fn.name)
    .where("version", "in", drop)
    .execute();
}

export function functionRepository(ctx: RepositoryContext): FunctionRepository {
  const { db } = ctx;
  return {
    get: (account, name) => getFunction(db, account, name),

    async getByUuid(account, uuid) {
      const row = await db
        .selectFrom("functions")
        .selectAll()
        .where("account", "=", account)
        .where("uuid", "=", uuid)
        .executeTakeFirst();
      return row && toFunction(row);
    },

    async list(account) {
      const rows = await db
        .selectFrom("functions")
        .selectAll()
        .where("account", "=", account)
        .orderBy("name")
        .execute();
      return rows.map(toFunction);
    },

    addVersion(version, keep) {
      const what = `version ${version.version} of ${version.account}/${version.function}`;
      return orConflict(ctx, what, () =>
        db.transaction().execute(async (trx) => {
          // Write first: the transaction then holds SQLite's write lock (and PostgreSQL's row lock) from
          // its first statement, so concurrent uploads queue instead of failing midway.
          await trx
            .insertInto("functions")
            .values({
              account: version.account,
              name: version.function,
              latest_version: version.version,
              deployed_version: null,
              ever_deployed: 0,
              // Only a new row takes it: the update on conflict leaves the function's own uuid alone.
              uuid: randomUUID(),
              created_at: version.createdAt,
              updated_at: version.createdAt,
            })
            .onConflict((oc) =>
              oc.columns(["account", "name"]).doUpdateSet((eb) => ({
                latest_version: eb.ref("excluded.latest_version"),
                updated_at: eb.ref("excluded.updated_at"),
              })),
            )
            .execute();
          await trx.insertInto("versions").values(toVersionRow(version)).execute();
          const fn = await getFunction(trx, version.account, version.function);
          if (fn === undefined)
            throw new Error(`function ${version.function} vanished while adding a version`);
          // keep < 1 would drop the version just added.
          await pruneVersions(trx, fn, Math.max(1, keep));
          return fn;
        }),
      );
    },

    setDeployed(account, name, version, at, by) {
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable("functions")
          .set({
            deployed_version: version,
            updated_at: at,
            // A deploy, promote or undeploy ends any canary.
            ...canaryColumns(null),
            ...(version === null ? {} : { ever_deployed: 1 }),
          })
          .where("account", "=", account)
          .where("name", "=", name)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) throw new Error(`function ${account}/${name} does not exist`);
        await appendDeployment(trx, { account, function: name, version, at, ...(by ? { by } : {}) });
        const fn = await getFunction(trx, account, name);
        if (fn === undefined) throw new Error(`function ${account}/${name} vanished while deploying`);
        return fn;
      });
    },

    setCanary(account, name, canary, at, opts = {}) {
      return db.transaction().execute(async (trx) => {
        let update = trx
          .updateTable("functions")
          .set({ ...canaryColumns(canary), updated_at: at })
          .where("account", "=", account)
          .where("name", "=", name);
        if (opts.expect !== undefined) update = update.where("canary_version", "=", opts.expect);
        const updated = await update.executeTakeFirst();
        if (updated.numUpdatedRows === 0n) {
          if (opts.expect !== undefined) return undefined;
          throw new Error(`function ${account}/${name} does not exist`);
        }
        const fn = await getFunction(trx, account, name);
        if (fn === undefined) throw new Error(`function ${account}/${name} vanished while deploying`);
        await appendDeployment(trx, {
          account,
          function: name,
          version: fn.deployedVersion,
          ...(canary ? { canary: { version: canary.version, weight: canary.weight } } : {}),
          ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
          ...(opts.by !== undefined ? { by: opts.by } : {}),
          at,
        });
        return fn;
      });
    },

    async delete(account, name) {
      // Versions and deployments go with it (ON DELETE CASCADE) under the function row's lock, so a
      // concurrent addVersion cannot slip a version in between. Its recordings (inputs and answers kept
      // for replay) go too: a function made later under the name must not replay them.
      await db.deleteFrom("recordings").where("account", "=", account).where("function", "=", name).execute();
      const deleted = await db
        .deleteFrom("functions")
        .where("account", "=", account)
        .where("name", "=", name)
        .executeTakeFirst();
      return deleted.numDeletedRows > 0n;
    },
  };
}
