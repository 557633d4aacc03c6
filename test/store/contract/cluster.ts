import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { key, version } from "./fixtures.js";

/** What nodes starting together rely on: inserts that never fail on a concurrent one, and one agreed value. */
export function clusterContract(store: () => Store): void {
  describe("cluster start-up", () => {
    it("createIfMissing: of ten concurrent creates of one account exactly one reports it created it", async () => {
      const name = `boot-${randomUUID()}`;
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().accounts.createIfMissing({ name, createdAt: i })),
      );
      assert.equal(created.filter(Boolean).length, 1);
      assert.equal((await store().accounts.list()).filter((a) => a.name === name).length, 1);
    });

    it("keys.createIfMissing: a second key with the same hash is a no-op, not an error", async () => {
      const account = `keys-${randomUUID()}`;
      await store().accounts.create({ name: account, createdAt: 1 });
      const first = key(account, `key_${randomUUID()}`);
      const second = { ...key(account, `key_${randomUUID()}`), hash: first.hash };
      const results = await Promise.all([first, second].map((k) => store().keys.createIfMissing(k)));
      assert.deepEqual(results.toSorted(), [false, true]);
      assert.equal((await store().keys.list(account)).length, 1);
    });

    it("settings.claim: the first value stored wins; every later claim answers it", async () => {
      const name = `setting-${randomUUID()}`;
      const answers = await Promise.all(["a", "b", "c"].map((v, i) => store().settings.claim(name, v, i)));
      assert.equal(new Set(answers).size, 1);
      assert.equal(await store().settings.claim(name, "later", 9), answers[0]);
    });

    it("a version keeps its id; the same name and number after a delete has another", async () => {
      const account = `ids-${randomUUID()}`;
      await store().accounts.create({ name: account, createdAt: 1 });
      const old = version(account, "f", 1);
      await store().functions.addVersion(old, 10);
      assert.equal((await store().versions.get(account, "f", 1))?.id, old.id);
      await store().functions.delete(account, "f");
      const again = version(account, "f", 1);
      await store().functions.addVersion(again, 10);
      const read = await store().versions.get(account, "f", 1);
      assert.equal(read?.id, again.id);
      assert.notEqual(read?.id, old.id);
    });
  });
}
