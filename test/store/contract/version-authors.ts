import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { freshAccount, version } from "./fixtures.js";

/** Who made a version and who made a deployment (migration 011), read back as written. */
export function versionAuthorsContract(store: () => Store): void {
  describe("version authors", () => {
    it("a version keeps its creator; one written without one has none", async () => {
      const account = await freshAccount(store());
      await store().functions.addVersion(version(account, "f", 1, { createdBy: "key:key_alice" }), 10);
      await store().functions.addVersion(version(account, "f", 2), 10);
      assert.equal((await store().versions.get(account, "f", 1))?.createdBy, "key:key_alice");
      const second = await store().versions.get(account, "f", 2);
      assert.ok(second);
      assert.equal("createdBy" in second, false);
      assert.deepEqual(
        (await store().versions.list(account, "f")).map((v) => [v.version, v.createdBy]),
        [
          [2, undefined],
          [1, "key:key_alice"],
        ],
      );
    });

    it("each deployment keeps who made it, newest first, an undeploy too", async () => {
      const account = await freshAccount(store());
      await store().functions.addVersion(version(account, "f", 1), 10);
      await store().functions.addVersion(version(account, "f", 2), 10);
      await store().functions.setDeployed(account, "f", 2, 1_000, "token:key_bob");
      await store().functions.setDeployed(account, "f", 1, 2_000, "key:key_alice");
      await store().functions.setDeployed(account, "f", null, 3_000, "operator");
      await store().functions.setDeployed(account, "f", 2, 4_000);
      assert.deepEqual(await store().deployments.list(account, "f", 10), [
        { account, function: "f", version: 2, at: 4_000 },
        { account, function: "f", version: null, at: 3_000, by: "operator" },
        { account, function: "f", version: 1, at: 2_000, by: "key:key_alice" },
        { account, function: "f", version: 2, at: 1_000, by: "token:key_bob" },
      ]);
    });
  });
}
