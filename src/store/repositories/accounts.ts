import type { Account } from "../../model/account.js";
import type { AccountRepository } from "../store.js";
import type { AccountsTable } from "../schema.js";
import { orConflict } from "./context.js";
import type { RepositoryContext } from "./context.js";

function toAccount(row: AccountsTable): Account {
  return { name: row.name, createdAt: row.created_at };
}

export function accountRepository(ctx: RepositoryContext): AccountRepository {
  const { db } = ctx;
  return {
    async create(account) {
      await orConflict(ctx, `account ${account.name}`, () =>
        db.insertInto("accounts").values({ name: account.name, created_at: account.createdAt }).execute(),
      );
    },

    async createIfMissing(account) {
      const result = await db
        .insertInto("accounts")
        .values({ name: account.name, created_at: account.createdAt })
        .onConflict((oc) => oc.column("name").doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async get(name) {
      const row = await db.selectFrom("accounts").selectAll().where("name", "=", name).executeTakeFirst();
      return row && toAccount(row);
    },

    async list() {
      const rows = await db.selectFrom("accounts").selectAll().orderBy("name").execute();
      return rows.map(toAccount);
    },

    async count() {
      const row = await db
        .selectFrom("accounts")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
