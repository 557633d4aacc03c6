import type { FaultProfile, FaultRule } from "../../model/fault.js";
import type { FaultProfilesTable } from "../schema.js";
import type { FaultProfileRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

function toProfile(row: FaultProfilesTable): FaultProfile {
  return {
    account: row.account,
    name: row.name,
    rules: JSON.parse(row.rules) as FaultRule[],
    updatedAt: row.updated_at,
  };
}

export function faultProfileRepository({ db }: RepositoryContext): FaultProfileRepository {
  return {
    async get(account, name) {
      const row = await db
        .selectFrom("fault_profiles")
        .selectAll()
        .where("account", "=", account)
        .where("name", "=", name)
        .executeTakeFirst();
      return row && toProfile(row);
    },

    async list(account) {
      const rows = await db
        .selectFrom("fault_profiles")
        .selectAll()
        .where("account", "=", account)
        .orderBy("name")
        .execute();
      return rows.map(toProfile);
    },

    async put({ account, name, rules, updatedAt }) {
      const values = { rules: JSON.stringify(rules), updated_at: updatedAt };
      await db
        .insertInto("fault_profiles")
        .values({ account, name, ...values })
        .onConflict((oc) => oc.columns(["account", "name"]).doUpdateSet(values))
        .execute();
    },

    async delete(account, name) {
      const result = await db
        .deleteFrom("fault_profiles")
        .where("account", "=", account)
        .where("name", "=", name)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
