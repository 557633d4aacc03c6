/** SQLSTATE unique_violation (duplicate key, primary or unique). */
const UNIQUE_VIOLATION = "23505";

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === UNIQUE_VIOLATION;
}
