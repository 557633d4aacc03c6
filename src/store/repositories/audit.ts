import type { AuditEntry } from "../../model/account.js";
import type { AuditLogTable } from "../schema.js";
import type { AuditRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

function toEntry(row: AuditLogTable): AuditEntry {
  return {
    id: row.id,
    account: row.account,
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

export function auditRepository({ db }: RepositoryContext): AuditRepository {
  return {
    async insert(entry) {
      await db
        .insertInto("audit_log")
        .values({
          id: entry.id,
          account: entry.account,
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          detail: entry.detail === null ? null : JSON.stringify(entry.detail),
        })
        .execute();
    },

    async list(filter) {
      let query = db.selectFrom("audit_log").selectAll().where("account", "=", filter.account);
      if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
      if (filter.before !== undefined) query = query.where("id", "<", filter.before);
      const rows = await query.orderBy("id", "desc").limit(filter.limit).execute();
      return rows.map(toEntry);
    },
  };
}
