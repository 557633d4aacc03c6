import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { StoreConflictError } from "../../../src/store/store.js";
import type { Store } from "../../../src/store/store.js";
import { freshAccount } from "./fixtures.js";

export function accountsContract(store: () => Store): void {
  describe("accounts", () => {
    it("creates an account and reads it back", async () => {
      const name = `acme-${randomUUID()}`;
      await store().accounts.create({ name, createdAt: 1_700_000_000_123 });
      assert.deepEqual(await store().accounts.get(name), { name, createdAt: 1_700_000_000_123 });
    });

    it("answers undefined for an unknown account", async () => {
      assert.equal(await store().accounts.get("no-such-account"), undefined);
    });

    it("lists accounts by name and counts them", async () => {
      const prefix = `list-${randomUUID().slice(0, 8)}`;
      const before = await store().accounts.count();
      await store().accounts.create({ name: `${prefix}-b`, createdAt: 1 });
      await store().accounts.create({ name: `${prefix}-a`, createdAt: 2 });
      await store().accounts.create({ name: `${prefix}-B`, createdAt: 3 });
      assert.equal(await store().accounts.count(), before + 3);
      const names = (await store().accounts.list()).map((a) => a.name);
      assert.equal(names.length, before + 3);
      // Byte order on both dialects: upper case before lower case.
      assert.deepEqual(
        names.filter((n) => n.startsWith(prefix)),
        [`${prefix}-B`, `${prefix}-a`, `${prefix}-b`],
      );
      assert.deepEqual(names, [...names].sort());
    });

    it("rejects a duplicate account with StoreConflictError", async () => {
      const name = await freshAccount(store());
      await assert.rejects(store().accounts.create({ name, createdAt: 2 }), StoreConflictError);
      assert.equal((await store().accounts.get(name))?.createdAt, 1_700_000_000_000);
    });
  });
}
