import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL the tests use (CI starts it: an unreachable server fails the tests, never skips them). */
export const POSTGRES_URL = process.env.RUNLET_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface FreshSchema {
  schema: string;
  /** The database URL with search_path set to the schema (for processes started with RUNLET_DATABASE_URL). */
  url: string;
  /** Runs one statement on a connection of its own (in the schema). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** Creates an empty schema of its own, so runs never see each other's rows; drop() removes it. */
export async function freshSchema(prefix = "runlet_test"): Promise<FreshSchema> {
  const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const run = async <T extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
    target = POSTGRES_URL,
  ) => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  await run(`create schema ${schema}`);
  return {
    schema,
    url: url.toString(),
    query: (text, values) => run(text, values, url.toString()),
    drop: async () => void (await run(`drop schema if exists ${schema} cascade`)),
  };
}
