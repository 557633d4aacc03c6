import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { freshAccount, key } from "./fixtures.js";

export function keysContract(store: () => Store): void {
  describe("api keys", () => {
    it("finds a key by its hash", async () => {
      const account = await freshAccount(store());
      const created = key(account, `${account}-k1`, { role: "admin" });
      await store().keys.create(created);
      assert.deepEqual(await store().keys.findByHash(created.hash), created);
      assert.equal(await store().keys.findByHash("no-such-hash"), undefined);
    });

    it("lists an account's keys only, revoked ones included with revokedAt", async () => {
      const account = await freshAccount(store());
      const other = await freshAccount(store());
      const first = key(account, `${account}-a`, { createdAt: 1 });
      const second = key(account, `${account}-b`, { createdAt: 2, role: "invoker" });
      await store().keys.create(first);
      await store().keys.create(second);
      await store().keys.create(key(other, `${other}-x`));

      assert.equal(await store().keys.revoke(account, second.id, 5_000), true);
      assert.deepEqual(await store().keys.list(account), [first, { ...second, revokedAt: 5_000 }]);
      assert.equal((await store().keys.findByHash(second.hash))?.revokedAt, 5_000);
    });

    it("revokes only a live key of that account", async () => {
      const account = await freshAccount(store());
      const other = await freshAccount(store());
      const k = key(account, `${account}-r`);
      await store().keys.create(k);
      assert.equal(await store().keys.revoke(other, k.id, 1), false, "another account's key");
      assert.equal(await store().keys.revoke(account, "no-such-key", 1), false, "unknown key");
      assert.equal(await store().keys.revoke(account, k.id, 2), true);
      assert.equal(await store().keys.revoke(account, k.id, 3), false, "already revoked");
      assert.equal((await store().keys.findByHash(k.hash))?.revokedAt, 2);
    });

    it("records when a key was last used", async () => {
      const account = await freshAccount(store());
      const k = key(account, `${account}-t`);
      await store().keys.create(k);
      await store().keys.touch(k.id, 42_000);
      assert.equal((await store().keys.findByHash(k.hash))?.lastUsedAt, 42_000);
      await store().keys.touch("no-such-key", 1);
    });
  });
}
