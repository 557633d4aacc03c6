import type { Migration } from "kysely";
import { initial } from "./001-initial.js";
import { secretsKv } from "./006-secrets-kv.js";

/**
 * Every migration, by name; names sort in the order they run. Listed here rather than read from a folder
 * so the store works when bundled into one file.
 */
export const migrations: Record<string, Migration> = {
  "001-initial": initial,
  "006-secrets-kv": secretsKv,
};
