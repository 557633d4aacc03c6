import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount, version } from "./fixtures.js";

export function rolloutsContract(store: () => Store): void {
  describe("canaries, deployment history and per-version stats", () => {
    it("keeps a canary beside the deployed version until a deploy ends it; each change is in the history", async () => {
      const account = await freshAccount(store());
      for (const n of [1, 2]) await store().functions.addVersion(version(account, "f", n), 10);
      await store().functions.setDeployed(account, "f", 1, 10);
      const autoRollback = { maxErrorRate: 0.1, minInvocations: 5, windowMs: 60_000 };
      const started = await store().functions.setCanary(
        account,
        "f",
        { version: 2, weight: 1000, since: 20, autoRollback },
        20,
      );
      assert.deepEqual(started?.canary, { version: 2, weight: 1000, since: 20, autoRollback });
      assert.deepEqual((await store().functions.get(account, "f"))?.canary, started?.canary);
      // Only while version 2 is the canary: a second node acting on the same decision changes nothing.
      const first = await store().functions.setCanary(account, "f", null, 30, {
        expect: 2,
        reason: "failing",
      });
      assert.equal(first?.canary, undefined);
      assert.equal(
        await store().functions.setCanary(account, "f", null, 31, { expect: 2, reason: "again" }),
        undefined,
      );
      await store().functions.setCanary(account, "f", { version: 2, weight: 500, since: 40 }, 40);
      const promoted = await store().functions.setDeployed(account, "f", 2, 50);
      assert.equal(promoted.canary, undefined);
      assert.deepEqual(await store().deployments.list(account, "f", 10), [
        { account, function: "f", version: 2, at: 50 },
        { account, function: "f", version: 1, canary: { version: 2, weight: 500 }, at: 40 },
        { account, function: "f", version: 1, reason: "failing", at: 30 },
        { account, function: "f", version: 1, canary: { version: 2, weight: 1000 }, at: 20 },
        { account, function: "f", version: 1, at: 10 },
      ]);
    });

    it("never prunes the canary's version", async () => {
      const account = await freshAccount(store());
      await store().functions.addVersion(version(account, "f", 1), 1);
      await store().functions.setDeployed(account, "f", 1, 10);
      await store().functions.addVersion(version(account, "f", 2), 1);
      await store().functions.setCanary(account, "f", { version: 2, weight: 100, since: 10 }, 10);
      for (const n of [3, 4]) await store().functions.addVersion(version(account, "f", n), 1);
      assert.deepEqual(
        (await store().versions.list(account, "f")).map((v) => v.version),
        [4, 2, 1],
      );
    });

    it("counts finished activations by version and status, and knows each function's last start", async () => {
      const account = await freshAccount(store());
      await store().activations.insertMany([
        activation(account, 1, { version: 1 }),
        activation(account, 2, { version: 2, status: "function_error" }),
        activation(account, 3, { version: 2 }),
        activation(account, 4, { version: 2, status: "queued" }),
        activation(account, 5, { function: "other", startedAt: 1_700_000_000_900 }),
        activation(account, 6, { version: 1, startedAt: 1_600_000_000_000 }),
      ]);
      const stats = await store().activations.versionStats({
        account,
        function: "fn",
        since: 1_700_000_000_000,
      });
      assert.deepEqual(stats, [
        { version: 2, byStatus: { function_error: 1, succeeded: 1 }, invocations: 2 },
        { version: 1, byStatus: { succeeded: 1 }, invocations: 1 },
      ]);
      assert.deepEqual(
        [...(await store().activations.lastStarted(account, ["fn", "other", "never"]))].sort(),
        [
          ["fn", 1_700_000_000_004],
          ["other", 1_700_000_000_900],
        ],
      );
    });
  });

  describe("idle-function policies", () => {
    it("puts, replaces, lists and deletes an account's policy", async () => {
      const account = await freshAccount(store());
      assert.equal(await store().idlePolicies.get(account), undefined);
      await store().idlePolicies.put({
        account,
        undeployAfterDays: 30,
        webhookUrl: "https://h.example/x",
        updatedAt: 1,
      });
      await store().idlePolicies.put({ account, undeployAfterDays: 60, updatedAt: 2 });
      assert.deepEqual(await store().idlePolicies.get(account), {
        account,
        undeployAfterDays: 60,
        updatedAt: 2,
      });
      assert.ok((await store().idlePolicies.list()).some((p) => p.account === account));
      assert.equal(await store().idlePolicies.delete(account), true);
      assert.equal(await store().idlePolicies.delete(account), false);
    });
  });
}
