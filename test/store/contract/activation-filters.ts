import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Activation } from "../../../src/model/activation.js";
import type { ActivationFilter } from "../../../src/store/records.js";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount } from "./fixtures.js";

/** The console's filters (trigger, version, a time range) and a parent's children (ctx.invoke calls). */
export function activationFiltersContract(store: () => Store): void {
  describe("activation filters: trigger, version, until, parentId", () => {
    let account: string;
    let written: Activation[];

    // 60 activations: trigger cycles http/schedule/function, version 1 or 2; 11..20 are children of 1,
    // 21..25 children of 11 (a grandchild level).
    before(async () => {
      account = await freshAccount(store());
      const triggers = ["http", "schedule", "function"] as const;
      written = Array.from({ length: 60 }, (_, i) => {
        const n = i + 1;
        const parent =
          n >= 11 && n <= 20
            ? activation(account, 1).id
            : n >= 21 && n <= 25
              ? activation(account, 11).id
              : undefined;
        return activation(account, n, {
          trigger: triggers[n % 3]!,
          version: n % 2 === 0 ? 2 : 1,
          ...(parent ? { parentId: parent } : {}),
        });
      });
      await store().activations.insertMany(written);
    });

    const ids = async (filter: Partial<ActivationFilter>) =>
      (await store().activations.list({ account, limit: 1000, ...filter })).map((a) => a.id);
    const expect = (keep: (a: Activation) => boolean) =>
      [...written]
        .sort((a, b) => (a.id < b.id ? 1 : -1))
        .filter(keep)
        .map((a) => a.id);

    it("filters by trigger and by version, alone and together", async () => {
      assert.deepEqual(
        await ids({ trigger: "schedule" }),
        expect((a) => a.trigger === "schedule"),
      );
      assert.deepEqual(
        await ids({ version: 2 }),
        expect((a) => a.version === 2),
      );
      assert.deepEqual(
        await ids({ trigger: "function", version: 1 }),
        expect((a) => a.trigger === "function" && a.version === 1),
      );
      assert.equal((await ids({ trigger: "function", version: 1 })).length > 0, true);
      assert.deepEqual(await ids({ version: 3 }), []);
    });

    it("a time range keeps since <= startedAt < until", async () => {
      const since = written[9]!.startedAt;
      const until = written[29]!.startedAt;
      assert.deepEqual(
        await ids({ since, until }),
        expect((a) => a.startedAt >= since && a.startedAt < until),
      );
      assert.equal((await ids({ since, until })).length, 20);
    });

    it("parentId lists exactly the activations one invoked, not their own children", async () => {
      const root = written[0]!.id;
      assert.deepEqual(
        await ids({ parentId: root }),
        expect((a) => a.parentId === root),
      );
      assert.equal((await ids({ parentId: root })).length, 10);
      assert.deepEqual(
        await ids({ parentId: written[10]!.id }),
        expect((a) => a.parentId === written[10]!.id),
      );
      assert.equal((await ids({ parentId: written[10]!.id })).length, 5);
      assert.deepEqual(await ids({ parentId: written[59]!.id }), [], "a leaf has no children");
    });

    it("parentId stays inside the account", async () => {
      const other = await freshAccount(store());
      const root = written[0]!.id;
      await store().activations.insertMany([activation(other, 99, { parentId: root })]);
      assert.equal((await ids({ parentId: root })).length, 10);
      const theirs = await store().activations.list({ account: other, limit: 10, parentId: root });
      assert.deepEqual(
        theirs.map((a) => a.account),
        [other],
      );
    });
  });
}
