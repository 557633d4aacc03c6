import { randomBytes } from "node:crypto";
import { after } from "node:test";
import pg from "pg";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { queueContract } from "./queue.contract.js";

// CI starts PostgreSQL: an unreachable server fails these tests rather than skipping them.
const url = process.env.RUNLET_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// Its own schema, dropped at the end, so runs never see each other's jobs.
const schema = `runlet_queue_${randomBytes(6).toString("hex")}`;
after(async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
});

queueContract("postgres", async () => {
  const store = await openPostgresStore(url, { schema });
  return { queue: store.queue, close: () => store.close() };
});
