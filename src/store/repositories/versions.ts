import type { FunctionConfig, VersionRecord, VersionStyle } from "../../model/function.js";
import type { VersionRepository } from "../store.js";
import type { VersionsTable } from "../schema.js";
import type { RepositoryContext } from "./context.js";

export function toVersionRow(version: VersionRecord): VersionsTable {
  return {
    account: version.account,
    function: version.function,
    version: version.version,
    source: version.source,
    code: version.code,
    source_map: version.sourceMap ?? null,
    style: version.style,
    config: JSON.stringify(version.config),
    digest: version.digest,
    created_at: version.createdAt,
    id: version.id,
    created_by: version.createdBy ?? null,
  };
}

export function toVersion(row: VersionsTable): VersionRecord {
  return {
    id: row.id,
    account: row.account,
    function: row.function,
    version: row.version,
    source: row.source,
    code: row.code,
    ...(row.source_map !== null ? { sourceMap: row.source_map } : {}),
    style: row.style as VersionStyle,
    config: JSON.parse(row.config) as FunctionConfig,
    digest: row.digest,
    createdAt: row.created_at,
    ...(row.created_by !== null ? { createdBy: row.created_by } : {}),
  };
}

export function versionRepository({ db }: RepositoryContext): VersionRepository {
  return {
    async get(account, name, version) {
      const row = await db
        .selectFrom("versions")
        .selectAll()
        .where("account", "=", account)
        .where("function", "=", name)
        .where("version", "=", version)
        .executeTakeFirst();
      return row && toVersion(row);
    },

    async list(account, name) {
      const rows = await db
        .selectFrom("versions")
        .selectAll()
        .where("account", "=", account)
        .where("function", "=", name)
        .orderBy("version", "desc")
        .execute();
      return rows.map(toVersion);
    },
  };
}
