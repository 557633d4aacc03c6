import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { freshAccount } from "./fixtures.js";

export function lifecycleContract(store: () => Store, open: () => Promise<Store>): void {
  describe("lifecycle", () => {
    it("answers ping", async () => {
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
      const stores = await Promise.all([open(), open(), open()]);
      try {
        await Promise.all(stores.map((s) => s.ping()));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
}
