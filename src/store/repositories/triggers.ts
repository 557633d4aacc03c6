import { sql } from "kysely";
import type { ScheduleFiring } from "../../model/account.js";
import type { ScheduleFiringsTable } from "../schema.js";
import type { TriggerRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";
import { toVersion } from "./versions.js";

/**
 * Deployed trigger sources and schedule firing claims. A claim is an insert that does nothing on a
 * duplicate key, so of several nodes claiming one tick exactly one insert lands, on SQLite and PostgreSQL.
 */
export function triggerRepository({ db }: RepositoryContext): TriggerRepository {
  return {
    async deployed() {
      // Configs are stored as JSON.stringify output (no spaces), so a non-empty list starts with `[{`.
      const rows = await db
        .selectFrom("functions")
        .innerJoin("versions", (join) =>
          join
            .onRef("versions.account", "=", "functions.account")
            .onRef("versions.function", "=", "functions.name")
            .onRef("versions.version", "=", "functions.deployed_version"),
        )
        .selectAll("versions")
        .where((eb) =>
          eb.or([
            eb("versions.config", "like", '%"schedules":[{%'),
            eb("versions.config", "like", '%"queues":[{%'),
          ]),
        )
        .execute();
      return rows.map(toVersion);
    },

    async claimTick(firing) {
      const result = await db
        .insertInto("schedule_firings")
        .values({
          account: firing.account,
          function: firing.function,
          schedule: firing.schedule,
          tick: firing.tick,
          node: firing.node,
          fired_at: firing.firedAt,
          activation_id: null,
        })
        .onConflict((oc) => oc.columns(["account", "function", "schedule", "tick"]).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },

    async setActivation(firing, activationId) {
      await db
        .updateTable("schedule_firings")
        .set({ activation_id: activationId })
        .where("account", "=", firing.account)
        .where("function", "=", firing.function)
        .where("schedule", "=", firing.schedule)
        .where("tick", "=", firing.tick)
        .execute();
    },

    async lastTick(account, fn, schedule) {
      const row = await db
        .selectFrom("schedule_firings")
        .select((eb) => eb.fn.max("tick").as("tick"))
        .where("account", "=", account)
        .where("function", "=", fn)
        .where("schedule", "=", schedule)
        .executeTakeFirst();
      return row?.tick === null || row?.tick === undefined ? undefined : Number(row.tick);
    },

    async recent(account, fn, limit) {
      const rows = await db
        .selectFrom("schedule_firings")
        .selectAll()
        .where("account", "=", account)
        .where("function", "=", fn)
        .orderBy("tick", "desc")
        .limit(limit)
        .execute();
      return rows.map((row) => ({ ...toFiring(row), activationId: row.activation_id }));
    },

    async unsubmitted(claimedBefore, limit) {
      const rows = await db
        .selectFrom("schedule_firings")
        .selectAll()
        .where("activation_id", "is", null)
        .where("fired_at", "<", claimedBefore)
        .orderBy("fired_at")
        .limit(limit)
        .execute();
      return rows.map(toFiring);
    },

    async prune(before) {
      const result = await db
        .deleteFrom("schedule_firings as f")
        .where("f.tick", "<", before)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom("schedule_firings as newer")
              .select(sql`1`.as("one"))
              .whereRef("newer.account", "=", "f.account")
              .whereRef("newer.function", "=", "f.function")
              .whereRef("newer.schedule", "=", "f.schedule")
              .whereRef("newer.tick", ">", "f.tick"),
          ),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function toFiring(row: ScheduleFiringsTable): ScheduleFiring {
  return {
    account: row.account,
    function: row.function,
    schedule: row.schedule,
    tick: Number(row.tick),
    node: row.node,
    firedAt: Number(row.fired_at),
  };
}
