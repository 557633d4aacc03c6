import { after } from "node:test";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { freshSchema, POSTGRES_URL } from "../helpers/postgres.js";
import { countersContract } from "./counters.contract.js";

// Its own schema, dropped at the end; two stores on it are two nodes sharing the counters.
const db = await freshSchema("runlet_counters");
after(() => db.drop());

countersContract("postgres", async () => {
  const a = await openPostgresStore(POSTGRES_URL, { schema: db.schema });
  return { counters: a.counters, close: () => a.close() };
});
