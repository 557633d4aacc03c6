import type { Store } from "./store.js";

export type DatabaseTarget = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

/**
 * Reads a database URL: `sqlite:<path>` (also `sqlite://<path>`, `sqlite:///abs/path`, `sqlite::memory:`)
 * or `postgres://…` / `postgresql://…`.
 */
export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return { dialect: "postgres", url: databaseUrl };
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/i.exec(databaseUrl);
  if (sqlite?.[1] !== undefined) return { dialect: "sqlite", file: sqlite[1] };
  throw new Error(
    `unsupported database URL ${JSON.stringify(databaseUrl)}: use sqlite:<path> or postgres://…`,
  );
}

/**
 * Opens and migrates the store a URL names. The dialect module is imported on demand so that only the
 * driver in use (better-sqlite3 or pg) is ever loaded.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === "sqlite") {
    const { openSqliteStore } = await import("./sqlite/index.js");
    return openSqliteStore(target.file);
  }
  const { openPostgresStore } = await import("./postgres/index.js");
  return openPostgresStore(target.url);
}
