import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import pg from "pg";
import { openStore } from "../../src/store/open-store.js";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { storeContract } from "./store.contract.js";

// CI starts PostgreSQL: an unreachable server fails these tests rather than skipping them.
const candidates = process.env.RUNLET_TEST_DATABASE_URL
  ? [process.env.RUNLET_TEST_DATABASE_URL]
  : ["postgres://postgres@127.0.0.1:5432/test", "postgres://root@127.0.0.1:5432/test"];

/** The first candidate URL that accepts a connection; the first error if none does. */
async function reachableUrl(): Promise<string> {
  let firstError: unknown;
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      return url;
    } catch (err) {
      firstError ??= err;
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw firstError;
}

let url: Promise<string> | undefined;
const databaseUrl = () => (url ??= reachableUrl());

// Each run gets its own schema, dropped at the end, so runs never see each other's rows.
const schema = `runlet_test_${randomBytes(6).toString("hex")}`;
after(async () => {
  const client = new pg.Client({ connectionString: await databaseUrl() });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
});

storeContract("postgres", async () => openPostgresStore(await databaseUrl(), { schema }));

describe("postgres store", () => {
  it("opens by URL, the schema chosen by the URL's options", async () => {
    const target = new URL(await databaseUrl());
    target.searchParams.set("options", `-c search_path=${schema}`);
    const store = await openStore(target.toString());
    try {
      assert.equal(store.dialect, "postgres");
      assert.ok((await store.accounts.count()) > 0, "sees the rows the contract wrote in that schema");
    } finally {
      await store.close();
    }
  });

  it("returns timestamps as numbers", async () => {
    const store = await openPostgresStore(await databaseUrl(), { schema });
    try {
      await store.accounts.create({ name: `ts-${schema}`, createdAt: 1_700_000_000_123 });
      assert.equal((await store.accounts.get(`ts-${schema}`))?.createdAt, 1_700_000_000_123);
      assert.equal(typeof (await store.accounts.count()), "number");
    } finally {
      await store.close();
    }
  });
});
