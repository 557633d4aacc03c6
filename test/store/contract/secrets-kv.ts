import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { freshAccount } from "./fixtures.js";

export function secretsContract(store: () => Store): void {
  describe("secrets", () => {
    it("puts, replaces keeping createdAt, lists by name and deletes, per account", async () => {
      const a = await freshAccount(store());
      const b = await freshAccount(store());
      const base = { sealed: "c2VhbGVk", keyId: "k1", createdAt: 10, updatedAt: 10 };
      await store().secrets.put({ ...base, account: a, name: "b_TOKEN" });
      await store().secrets.put({ ...base, account: a, name: "A-key" });
      await store().secrets.put({ ...base, account: b, name: "b_TOKEN", sealed: "other" });
      await store().secrets.put({
        ...base,
        account: a,
        name: "b_TOKEN",
        sealed: "new",
        createdAt: 20,
        updatedAt: 20,
      });

      assert.deepEqual(await store().secrets.get(a, "b_TOKEN"), {
        account: a,
        name: "b_TOKEN",
        sealed: "new",
        keyId: "k1",
        createdAt: 10,
        updatedAt: 20,
      });
      assert.deepEqual(
        (await store().secrets.list(a)).map((s) => s.name),
        ["A-key", "b_TOKEN"],
      );
      assert.equal((await store().secrets.get(b, "b_TOKEN"))?.sealed, "other");
      assert.ok((await store().secrets.keyIds()).includes("k1"));

      assert.equal(await store().secrets.delete(a, "b_TOKEN"), true);
      assert.equal(await store().secrets.delete(a, "b_TOKEN"), false);
      assert.equal(await store().secrets.get(a, "b_TOKEN"), undefined);
      assert.equal((await store().secrets.get(b, "b_TOKEN"))?.sealed, "other");
    });
  });
}

export function kvContract(store: () => Store): void {
  describe("kv", () => {
    const entry = (account: string, key: string, value: string, expiresAt: number | null = null) => ({
      account,
      namespace: "ns",
      key,
      value,
      expiresAt,
      updatedAt: 100,
    });

    it("sets, replaces, reads and deletes within an account and namespace only", async () => {
      const a = await freshAccount(store());
      const b = await freshAccount(store());
      await store().kv.set(entry(a, "k", "1"));
      await store().kv.set(entry(a, "k", '{"v":2}'));
      await store().kv.set({ ...entry(a, "k", "other-ns"), namespace: "ns2" });
      assert.deepEqual(await store().kv.get(a, "ns", "k", 100), entry(a, "k", '{"v":2}'));
      assert.equal((await store().kv.get(a, "ns2", "k", 100))?.value, "other-ns");
      assert.equal(await store().kv.get(b, "ns", "k", 100), undefined);
      assert.equal(await store().kv.delete(b, "ns", "k", 100), false);
      assert.equal(await store().kv.delete(a, "ns", "k", 100), true);
      assert.equal(await store().kv.get(a, "ns", "k", 100), undefined);
      assert.equal((await store().kv.get(a, "ns2", "k", 100))?.value, "other-ns");
    });

    it("hides expired entries from get, delete and list, and purges them", async () => {
      const a = await freshAccount(store());
      await store().kv.set(entry(a, "short", "1", 1_000));
      await store().kv.set(entry(a, "long", "2", 5_000));
      await store().kv.set(entry(a, "forever", "3"));
      assert.equal((await store().kv.get(a, "ns", "short", 999))?.value, "1");
      assert.equal(await store().kv.get(a, "ns", "short", 1_000), undefined);
      assert.deepEqual(
        (await store().kv.list({ account: a, namespace: "ns", limit: 10, now: 2_000 })).map((e) => e.key),
        ["forever", "long"],
      );
      assert.equal(await store().kv.count(a, 999), 3);
      assert.equal(await store().kv.count(a, 2_000), 2);
      assert.equal(await store().kv.delete(a, "ns", "short", 2_000), false);
      assert.ok((await store().kv.purgeExpired(2_000)) >= 1);
      // Purged for good: even a reader from the past no longer sees it.
      assert.equal(await store().kv.get(a, "ns", "short", 0), undefined);
      assert.equal((await store().kv.get(a, "ns", "long", 0))?.value, "2");
    });

    it("lists in byte order by literal prefix, page by page after a cursor", async () => {
      const a = await freshAccount(store());
      for (const key of ["user:2", "user:10", "User:1", "user_x", "user%", "users/1", "other", "user:ü"]) {
        await store().kv.set(entry(a, key, "1"));
      }
      const list = async (prefix?: string, after?: string, limit = 10) =>
        (await store().kv.list({ account: a, namespace: "ns", prefix, after, limit, now: 0 })).map(
          (e) => e.key,
        );
      assert.deepEqual(await list(), [
        "User:1",
        "other",
        "user%",
        "user:10",
        "user:2",
        "user:ü",
        "user_x",
        "users/1",
      ]);
      // % and _ are literal; the prefix is case-sensitive.
      assert.deepEqual(await list("user:"), ["user:10", "user:2", "user:ü"]);
      assert.deepEqual(await list("user%"), ["user%"]);
      assert.deepEqual(await list("user_"), ["user_x"]);
      assert.deepEqual(await list("user", undefined, 2), ["user%", "user:10"]);
      assert.deepEqual(await list("user", "user:10", 2), ["user:2", "user:ü"]);
      assert.deepEqual(await list("user:ü"), ["user:ü"]);
    });
  });
}

export function allowlistsContract(store: () => Store): void {
  describe("allowlists", () => {
    it("stores one list per account and replaces it", async () => {
      const a = await freshAccount(store());
      assert.equal(await store().allowlists.get(a), undefined);
      await store().allowlists.set({
        account: a,
        domains: ["api.example.com", "*.example.org"],
        updatedAt: 1,
      });
      await store().allowlists.set({ account: a, domains: ["x.example.com"], updatedAt: 2 });
      assert.deepEqual(await store().allowlists.get(a), {
        account: a,
        domains: ["x.example.com"],
        updatedAt: 2,
      });
    });
  });
}
