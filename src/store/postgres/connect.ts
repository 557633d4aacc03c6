import { Kysely, sql } from "kysely";
import type { Database } from "../schema.js";
import { PostgresStoreDialect } from "./adapter.js";
import { isUniqueViolation } from "./errors.js";

const INT8_OID = 20;

export interface PostgresOptions {
  /**
   * Puts every table in this schema (created if missing) by setting the connections' search_path; tests
   * use it to isolate runs. Without it, the URL decides (`?options=-c%20search_path%3Dname`, a schema
   * that must exist) or the server's default, usually `public`.
   */
  schema?: string;
}

/** A plain identifier only: it goes into a `-c search_path=` startup option, where quoting is fragile. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function connectPostgres(url: string, options: PostgresOptions = {}): Promise<Kysely<Database>> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  // Loaded here, not at import, so a SQLite node never loads pg.
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    // Timestamps are int8 (bigint) columns; ms since epoch fits a JS number exactly. Set per pool, not on
    // the global pg.types, so other pg users in the process are not affected.
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === INT8_OID && format !== "binary" ? Number : pg.types.getTypeParser(oid, format),
    },
  });
  // An idle connection the server drops emits "error" on the pool; unhandled, that would crash the
  // process. The pool discards that connection and the next query opens a fresh one.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresStoreDialect({ pool }) });
  if (schema !== undefined) {
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    } catch (err) {
      // Two nodes creating it at once: "if not exists" can still lose the race with a duplicate key.
      if (!isUniqueViolation(err)) {
        await db.destroy();
        throw err;
      }
    }
  }
  return db;
}

/** The schema unqualified names resolve to (first existing entry of search_path). */
export async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema == null) throw new Error("no PostgreSQL schema to create tables in: check search_path");
  return schema;
}
