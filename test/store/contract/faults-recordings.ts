import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { freshAccount } from "./fixtures.js";

export function faultProfilesContract(store: () => Store): void {
  describe("fault profiles", () => {
    it("puts, replaces, lists by name and deletes, per account", async () => {
      const a = await freshAccount(store());
      const b = await freshAccount(store());
      const rules = [{ target: "kv" as const, kind: "unavailable" as const, rate: 1 }];
      await store().faultProfiles.put({ account: a, name: "slow", rules, updatedAt: 1 });
      await store().faultProfiles.put({ account: a, name: "down", rules, updatedAt: 1 });
      await store().faultProfiles.put({ account: b, name: "down", rules, updatedAt: 1 });
      const fetchDown = [{ target: "fetch:api.example.com" as const, kind: "error" as const, rate: 0.5 }];
      await store().faultProfiles.put({ account: a, name: "down", rules: fetchDown, updatedAt: 2 });
      assert.deepEqual(
        (await store().faultProfiles.list(a)).map((p) => [p.name, p.rules, p.updatedAt]),
        [
          ["down", fetchDown, 2],
          ["slow", rules, 1],
        ],
      );
      assert.equal(await store().faultProfiles.delete(a, "down"), true);
      assert.equal(await store().faultProfiles.delete(a, "down"), false);
      assert.equal(await store().faultProfiles.get(a, "down"), undefined);
      assert.deepEqual((await store().faultProfiles.get(b, "down"))?.rules, rules);
    });
  });
}
