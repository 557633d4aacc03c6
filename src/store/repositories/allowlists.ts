import type { AllowlistRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

export function allowlistRepository({ db }: RepositoryContext): AllowlistRepository {
  return {
    async get(account) {
      const row = await db
        .selectFrom("allowlists")
        .selectAll()
        .where("account", "=", account)
        .executeTakeFirst();
      return row && { account, domains: JSON.parse(row.domains) as string[], updatedAt: row.updated_at };
    },

    async set({ account, domains, updatedAt }) {
      const values = { domains: JSON.stringify(domains), updated_at: updatedAt };
      await db
        .insertInto("allowlists")
        .values({ account, ...values })
        .onConflict((oc) => oc.column("account").doUpdateSet(values))
        .execute();
    },
  };
}
