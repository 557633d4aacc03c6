import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pg from "pg";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { freshSchema, POSTGRES_URL } from "../helpers/postgres.js";

// Kysely's migrator asks its introspector whether its bookkeeping table exists, and Kysely's PostgreSQL
// introspector reads every table of every schema, calling pg_get_serial_sequence on each by name: a table
// another session drops meanwhile fails the query ("relation … does not exist", "column "timestamp" of
// relation "kysely_migration" does not exist"), and the node fails to start. Any other user of the database
// dropping a table could do it; the test suite's parallel files did (CI, twice). The store looks only at its
// own schema.
describe("a PostgreSQL store opening while another schema's tables are dropped and made again", () => {
  it("opens every time", async () => {
    const other = new pg.Client({ connectionString: POSTGRES_URL });
    await other.connect();
    const churnSchema = `runlet_churn_${process.pid}`;
    let churning = true;
    const churn = (async () => {
      let rounds = 0;
      while (churning) {
        await other.query(`drop schema if exists ${churnSchema} cascade`);
        await other.query(`create schema ${churnSchema}`);
        for (let t = 0; t < 20; t++) {
          await other.query(
            `create table ${churnSchema}.t${t} (id serial primary key, timestamp text, name text)`,
          );
        }
        rounds += 1;
      }
      await other.query(`drop schema if exists ${churnSchema} cascade`);
      return rounds;
    })();
    try {
      for (let i = 0; i < 15; i++) {
        const schema = await freshSchema("runlet_open");
        try {
          const store = await openPostgresStore(schema.url);
          await store.close();
        } finally {
          await schema.drop();
        }
      }
    } finally {
      churning = false;
      const rounds = await churn;
      await other.end();
      assert.ok(rounds >= 1, "the other schema was dropped and made again while the stores opened");
    }
  });
});
