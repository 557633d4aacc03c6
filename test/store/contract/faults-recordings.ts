import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount, version } from "./fixtures.js";

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

    it("an activation keeps the faults that fired in it, and one without reads back without", async () => {
      const a = await freshAccount(store());
      const faults = { profile: "down", fired: [{ target: "kv", kind: "unavailable", count: 2 }] };
      await store().activations.insertMany([activation(a, 1, { faults }), activation(a, 2)]);
      assert.deepEqual((await store().activations.get(a, activation(a, 1).id))?.faults, faults);
      assert.equal((await store().activations.get(a, activation(a, 2).id))?.faults, undefined);
    });
  });
}

export function recordingsContract(store: () => Store): void {
  describe("recordings", () => {
    const recording = (account: string, id: string, expiresAt: number) => ({
      account,
      id,
      function: "fn",
      version: 2,
      startedAt: 1000,
      expiresAt,
      input: { id, type: "runlet.http", source: "/fn/a/fn", time: "t", payload: { n: 1 }, headers: [] },
      calls: [{ op: "kv.get", key: "k", what: "ctx.kv.get default/x", ok: true, answer: '"v"' }],
      outcome: { status: "succeeded" as const, result: { ok: true }, error: null },
    });

    it("puts, replaces by id, reads the newest first, and hides and prunes what expired", async () => {
      const a = await freshAccount(store());
      await store().recordings.put(recording(a, "act_1", 5000));
      await store().recordings.put(recording(a, "act_2", 5000));
      await store().recordings.put({ ...recording(a, "act_2", 5000), version: 3 });
      await store().recordings.put(recording(a, "act_0", 2000));
      assert.deepEqual(await store().recordings.get(a, "act_1", 1500), recording(a, "act_1", 5000));
      assert.deepEqual(
        (await store().recordings.latest(a, "fn", 10, 1500)).map((r) => [r.id, r.version]),
        [
          ["act_2", 3],
          ["act_1", 2],
          ["act_0", 2],
        ],
      );
      assert.equal((await store().recordings.latest(a, "fn", 1, 1500)).length, 1);
      assert.equal(await store().recordings.get(a, "act_0", 2000), undefined, "expired: not replayed");
      assert.ok((await store().recordings.prune(2000)) >= 1);
      assert.deepEqual(
        (await store().recordings.latest(a, "fn", 10, 0)).map((r) => r.id),
        ["act_2", "act_1"],
      );
    });

    it("go with their function when it is deleted", async () => {
      const a = await freshAccount(store());
      await store().functions.addVersion(version(a, "fn", 1), 10);
      await store().recordings.put(recording(a, "act_1", 5000));
      await store().recordings.put({ ...recording(a, "act_2", 5000), function: "other" });
      await store().functions.delete(a, "fn");
      assert.deepEqual(
        [
          ...(await store().recordings.latest(a, "fn", 10, 0)),
          ...(await store().recordings.latest(a, "other", 10, 0)),
        ].map((r) => r.id),
        ["act_2"],
      );
    });
  });
}
