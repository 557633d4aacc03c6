import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { freshAccount } from "./fixtures.js";

export function auditContract(store: () => Store): void {
  describe("audit log", () => {
    it("lists an account's entries newest first, with since, before and limit", async () => {
      const a = await freshAccount(store());
      const b = await freshAccount(store());
      const entry = (id: string, at: number, account = a) => ({
        id,
        account,
        at,
        actor: "key:key_1",
        action: "function.put",
        target: "f",
        detail: id === "aud_2" ? { version: 2, deployed: true } : null,
      });
      for (const e of [
        entry("aud_1", 100),
        entry("aud_2", 200),
        entry("aud_3", 300),
        entry("aud_9", 900, b),
      ]) {
        await store().audit.insert(e);
      }
      const all = await store().audit.list({ account: a, limit: 10 });
      assert.deepEqual(
        all.map((e) => e.id),
        ["aud_3", "aud_2", "aud_1"],
      );
      assert.deepEqual(all[1], entry("aud_2", 200));
      assert.deepEqual(
        (await store().audit.list({ account: a, limit: 10, before: "aud_3" })).map((e) => e.id),
        ["aud_2", "aud_1"],
      );
      assert.deepEqual(
        (await store().audit.list({ account: a, limit: 1, since: 150 })).map((e) => e.id),
        ["aud_3"],
      );
    });
  });
}

export function signingKeysContract(store: () => Store): void {
  describe("signing keys", () => {
    it("rotating retires the live key and adds the new one; prune drops long-retired keys", async () => {
      const base = Date.now() * 10; // later than any key another test made
      await store().signingKeys.rotate({ kid: `sk_a${base}`, salt: "s1", createdAt: base, retiredAt: null });
      await store().signingKeys.rotate({
        kid: `sk_b${base}`,
        salt: "s2",
        createdAt: base + 10,
        retiredAt: null,
      });
      const keys = await store().signingKeys.list();
      assert.deepEqual(keys.slice(0, 2), [
        { kid: `sk_b${base}`, salt: "s2", createdAt: base + 10, retiredAt: null },
        { kid: `sk_a${base}`, salt: "s1", createdAt: base, retiredAt: base + 10 },
      ]);
      assert.equal(keys.filter((k) => k.retiredAt === null).length, 1, "one live key");
      await store().signingKeys.prune(base + 11);
      const left = (await store().signingKeys.list()).map((k) => k.kid);
      assert.ok(left.includes(`sk_b${base}`) && !left.includes(`sk_a${base}`));
    });
  });
}

export function quotasContract(store: () => Store): void {
  describe("quotas", () => {
    it("keeps overrides per account and adds usage counters per month across writers", async () => {
      const a = await freshAccount(store());
      assert.deepEqual(await store().quotas.getOverrides(a), {});
      await store().quotas.setOverrides(a, { functions: 3 }, 1);
      await store().quotas.setOverrides(a, { functions: 5, invocationsPerMonth: 100 }, 2);
      assert.deepEqual(await store().quotas.getOverrides(a), { functions: 5, invocationsPerMonth: 100 });

      assert.deepEqual(await store().quotas.usage(a, "2026-11"), { invocations: 0, logBytes: 0 });
      await Promise.all([
        store().quotas.add(a, "2026-11", { invocations: 3, logBytes: 10 }),
        store().quotas.add(a, "2026-11", { invocations: 4, logBytes: 0 }),
      ]);
      await store().quotas.add(a, "2026-12", { invocations: 1, logBytes: 1 });
      assert.deepEqual(await store().quotas.usage(a, "2026-11"), { invocations: 7, logBytes: 10 });
      assert.deepEqual(await store().quotas.usage(a, "2026-12"), { invocations: 1, logBytes: 1 });
    });
  });
}
