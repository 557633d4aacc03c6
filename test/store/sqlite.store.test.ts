import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { openStore, parseDatabaseUrl } from "../../src/store/open-store.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { storeContract } from "./store.contract.js";

const dir = mkdtempSync(path.join(tmpdir(), "runlet-store-"));
// A directory that does not exist yet: opening the store creates it.
const file = path.join(dir, "nested", "runlet.db");
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract("sqlite", () => openSqliteStore(file));

describe("sqlite store", () => {
  it("keeps data across close and reopen of the same file, migrating once", async () => {
    const reopened = path.join(dir, "reopen.db");
    const first = await openSqliteStore(reopened);
    await first.accounts.create({ name: "kept", createdAt: 1 });
    await first.close();
    const second = await openSqliteStore(reopened);
    try {
      assert.deepEqual(await second.accounts.list(), [{ name: "kept", createdAt: 1 }]);
    } finally {
      await second.close();
    }
  });

  it("opens by URL, in memory too", async () => {
    for (const url of ["sqlite::memory:", `sqlite:${path.join(dir, "by-url.db")}`]) {
      const store = await openStore(url);
      try {
        assert.equal(store.dialect, "sqlite");
        assert.equal(await store.accounts.count(), 0);
      } finally {
        await store.close();
      }
    }
  });

  it("reads database URLs", () => {
    assert.deepEqual(parseDatabaseUrl("sqlite::memory:"), { dialect: "sqlite", file: ":memory:" });
    assert.deepEqual(parseDatabaseUrl("sqlite:./.runlet/runlet.db"), {
      dialect: "sqlite",
      file: "./.runlet/runlet.db",
    });
    assert.deepEqual(parseDatabaseUrl("sqlite:///var/db/r.db"), { dialect: "sqlite", file: "/var/db/r.db" });
    assert.deepEqual(parseDatabaseUrl("postgresql://u@h/db"), {
      dialect: "postgres",
      url: "postgresql://u@h/db",
    });
    assert.deepEqual(parseDatabaseUrl("postgres://u@h/db"), {
      dialect: "postgres",
      url: "postgres://u@h/db",
    });
    assert.throws(() => parseDatabaseUrl("mysql://u@h/db"), /unsupported database URL/);
    assert.throws(() => parseDatabaseUrl("sqlite:"), /unsupported database URL/);
  });
});
