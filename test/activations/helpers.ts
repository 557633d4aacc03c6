import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Activation } from "../../src/model/activation.js";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { EncodedActivation, Store } from "../../src/store/store.js";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";

export interface OpenedStore {
  store: Store;
  /** PostgreSQL only: the schema, for statements of the test's own. */
  pg?: FreshSchema;
  close(): Promise<void>;
}

/** A real store of each dialect: SQLite in a temporary folder, PostgreSQL in a fresh schema. */
export const DIALECTS: [name: string, open: () => Promise<OpenedStore>][] = [
  [
    "sqlite",
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "runlet-alog-"));
      const store = await openSqliteStore(path.join(dir, "runlet.db"));
      return {
        store,
        close: async () => {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    "postgres",
    async () => {
      const pg = await freshSchema("runlet_alog");
      const store = await openPostgresStore(pg.url);
      return {
        store,
        pg,
        close: async () => {
          await store.close();
          await pg.drop();
        },
      };
    },
  ],
];

/** Counts what reaches the database (the real write still happens) and how many writes overlap. */
export function countWrites(store: Store): { rows: number; writes: number; maxConcurrent: number } {
  const seen = { rows: 0, writes: 0, maxConcurrent: 0 };
  let running = 0;
  const write = store.activations.insertEncoded;
  store.activations.insertEncoded = async (rows: EncodedActivation[]) => {
    seen.rows += rows.length;
    seen.writes++;
    seen.maxConcurrent = Math.max(seen.maxConcurrent, ++running);
    try {
      await write(rows);
    } finally {
      running--;
    }
  };
  return seen;
}

let n = 0;
export function activation(fields: Partial<Activation> = {}): Activation {
  const id = `act_${Date.now()}_${String(n++).padStart(8, "0")}`;
  return {
    id,
    account: "acct",
    function: "fn",
    version: 1,
    trigger: "http",
    status: "succeeded",
    result: { n },
    error: null,
    logs: [{ t: Date.now(), level: "info", msg: `line ${n}` }],
    logsTruncated: false,
    startedAt: Date.now(),
    durationMs: 1.5,
    billedMs: 2,
    memoryMb: 128,
    coldStart: false,
    ...fields,
  };
}

export async function countRows(store: Store, account = "acct"): Promise<number> {
  let total = 0;
  let before: string | undefined;
  for (;;) {
    const page = await store.activations.list({ account, limit: 1000, ...(before ? { before } : {}) });
    total += page.length;
    if (page.length < 1000) return total;
    before = page[page.length - 1]!.id;
  }
}
