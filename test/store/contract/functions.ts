import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StoreConflictError } from "../../../src/store/store.js";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount, version } from "./fixtures.js";

async function versionNumbers(store: Store, account: string, fn: string): Promise<number[]> {
  return (await store.versions.list(account, fn)).map((v) => v.version);
}

export function functionsContract(store: () => Store): void {
  describe("functions and versions", () => {
    it("creates the function with its first version, as a draft", async () => {
      const account = await freshAccount(store());
      const fn = await store().functions.addVersion(version(account, "hello", 1), 10);
      assert.match(fn.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const expected = {
        account,
        name: "hello",
        uuid: fn.uuid,
        latestVersion: 1,
        deployedVersion: null,
        everDeployed: false,
        createdAt: 1_700_000_001_000,
        updatedAt: 1_700_000_001_000,
      };
      assert.deepEqual(fn, expected);
      assert.deepEqual(await store().functions.get(account, "hello"), expected);
      assert.equal(await store().functions.get(account, "nope"), undefined);
    });

    it("keeps one uuid per function across versions, finds it by uuid, never reuses it", async () => {
      const account = await freshAccount(store());
      const other = await freshAccount(store());
      const first = await store().functions.addVersion(version(account, "hello", 1), 10);
      const second = await store().functions.addVersion(version(account, "hello", 2), 10);
      assert.equal(second.uuid, first.uuid);
      assert.equal((await store().functions.getByUuid(account, first.uuid))?.name, "hello");
      assert.equal(await store().functions.getByUuid(other, first.uuid), undefined);
      assert.equal(
        await store().functions.getByUuid(account, "00000000-0000-4000-8000-000000000000"),
        undefined,
      );
      const twin = await store().functions.addVersion(version(other, "hello", 1), 10);
      assert.notEqual(twin.uuid, first.uuid);
      assert.ok(await store().functions.delete(account, "hello"));
      const again = await store().functions.addVersion(version(account, "hello", 1), 10);
      assert.notEqual(again.uuid, first.uuid);
      assert.equal(await store().functions.getByUuid(account, first.uuid), undefined);
    });

    it("moves latestVersion and updatedAt on each new version, keeping createdAt", async () => {
      const account = await freshAccount(store());
      await store().functions.addVersion(version(account, "hello", 1), 10);
      const fn = await store().functions.addVersion(version(account, "hello", 2), 10);
      assert.equal(fn.latestVersion, 2);
      assert.equal(fn.createdAt, 1_700_000_001_000);
      assert.equal(fn.updatedAt, 1_700_000_002_000);
    });

    it("lists an account's functions by name", async () => {
      const account = await freshAccount(store());
      const other = await freshAccount(store());
      await store().functions.addVersion(version(account, "b", 1), 10);
      await store().functions.addVersion(version(account, "a", 1), 10);
      await store().functions.addVersion(version(other, "c", 1), 10);
      assert.deepEqual(
        (await store().functions.list(account)).map((f) => f.name),
        ["a", "b"],
      );
    });

    it("reads a version back exactly as written", async () => {
      const account = await freshAccount(store());
      const written = version(account, "hello", 1, { style: "classic" });
      await store().functions.addVersion(written, 10);
      assert.deepEqual(await store().versions.get(account, "hello", 1), written);
      assert.equal(await store().versions.get(account, "hello", 2), undefined);
    });

    it("lists versions newest first", async () => {
      const account = await freshAccount(store());
      for (const n of [1, 2, 3]) await store().functions.addVersion(version(account, "hello", n), 10);
      assert.deepEqual(await versionNumbers(store(), account, "hello"), [3, 2, 1]);
      assert.deepEqual(await store().versions.list(account, "nope"), []);
    });

    it("keeps only the newest `keep` versions", async () => {
      const account = await freshAccount(store());
      for (let n = 1; n <= 5; n++) await store().functions.addVersion(version(account, "hello", n), 3);
      assert.deepEqual(await versionNumbers(store(), account, "hello"), [5, 4, 3]);
    });

    it("never drops the deployed version when trimming", async () => {
      const account = await freshAccount(store());
      await store().functions.addVersion(version(account, "hello", 1), 2);
      await store().functions.setDeployed(account, "hello", 1, 10);
      for (let n = 2; n <= 5; n++) await store().functions.addVersion(version(account, "hello", n), 2);
      assert.deepEqual(await versionNumbers(store(), account, "hello"), [5, 4, 1]);
      assert.equal((await store().functions.get(account, "hello"))?.deployedVersion, 1);
    });

    it("rejects a version number that exists with StoreConflictError", async () => {
      const account = await freshAccount(store());
      await store().functions.addVersion(version(account, "hello", 1), 10);
      await assert.rejects(
        store().functions.addVersion(version(account, "hello", 1, { source: "other" }), 10),
        StoreConflictError,
      );
      assert.equal(
        (await store().versions.get(account, "hello", 1))?.source,
        version(account, "hello", 1).source,
      );
    });

    it("deploys, rolls back and undeploys, recording each deployment newest first", async () => {
      const account = await freshAccount(store());
      await store().functions.addVersion(version(account, "hello", 1), 10);
      await store().functions.addVersion(version(account, "hello", 2), 10);

      const deployed = await store().functions.setDeployed(account, "hello", 2, 100);
      assert.equal(deployed.deployedVersion, 2);
      assert.equal(deployed.everDeployed, true);
      assert.equal(deployed.updatedAt, 100);
      assert.equal((await store().functions.setDeployed(account, "hello", 1, 200)).deployedVersion, 1);
      // Same millisecond as the previous one: order still follows the calls.
      const undeployed = await store().functions.setDeployed(account, "hello", null, 200);
      assert.equal(undeployed.deployedVersion, null);
      assert.equal(undeployed.everDeployed, true, "an undeployed function stays everDeployed");

      assert.deepEqual(await store().deployments.list(account, "hello", 10), [
        { account, function: "hello", version: null, at: 200 },
        { account, function: "hello", version: 1, at: 200 },
        { account, function: "hello", version: 2, at: 100 },
      ]);
      assert.deepEqual(
        (await store().deployments.list(account, "hello", 2)).map((d) => d.version),
        [null, 1],
      );
    });

    it("refuses to deploy a function that does not exist", async () => {
      const account = await freshAccount(store());
      await assert.rejects(store().functions.setDeployed(account, "nope", 1, 1), Error);
      assert.deepEqual(await store().deployments.list(account, "nope", 10), []);
    });

    it("deletes the function, its versions and deployments, but not its activations", async () => {
      const account = await freshAccount(store());
      await store().functions.addVersion(version(account, "hello", 1), 10);
      await store().functions.setDeployed(account, "hello", 1, 10);
      await store().activations.insertMany([activation(account, 1, { function: "hello" })]);

      assert.equal(await store().functions.delete(account, "hello"), true);
      assert.equal(await store().functions.get(account, "hello"), undefined);
      assert.deepEqual(await store().versions.list(account, "hello"), []);
      assert.deepEqual(await store().deployments.list(account, "hello", 10), []);
      assert.equal((await store().activations.list({ account, function: "hello", limit: 10 })).length, 1);
      assert.equal(await store().functions.delete(account, "hello"), false);

      // The name is free again, starting from a clean history.
      const again = await store().functions.addVersion(version(account, "hello", 1), 10);
      assert.equal(again.everDeployed, false);
      assert.deepEqual(await versionNumbers(store(), account, "hello"), [1]);
    });
  });
}
