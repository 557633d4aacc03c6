/** better-sqlite3 reports extended result codes; a duplicate primary key has its own. */
const UNIQUE_CODES = new Set(["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"]);

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && UNIQUE_CODES.has((err as { code?: unknown }).code as string);
}
