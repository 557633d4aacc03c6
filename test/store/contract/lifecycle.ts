import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { freshAccount } from "./fixtures.js";

export function lifecycleContract(store: () => Store, open: () => Promise<Store>): void {
  describe("lifecycle", () => {
    it("answers ping while open, and fails it once closed", async () => {
      const other = await open();
      await other.ping();
      await other.close();
      await assert.rejects(other.ping());
      await store().ping();
    });

    it("opens an already migrated database again, data intact", async () => {
      const account = await freshAccount(store());
      const second = await open();
      try {
        assert.equal(second.dialect, store().dialect);
        assert.equal((await second.accounts.get(account))?.name, account);
        await freshAccount(second);
      } finally {
        await second.close();
      }
    });

    it("migrates once when several nodes open the database together", async () => {
      // Racing migrations would fail an open (a table created twice); each then sees what the others wrote.
      const stores = await Promise.all([open(), open(), open()]);
      try {
        const accounts = await Promise.all(stores.map((s) => freshAccount(s)));
        for (const s of stores) {
          for (const account of accounts) assert.equal((await s.accounts.get(account))?.name, account);
        }
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
}
