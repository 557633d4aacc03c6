import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Activation } from "../../../src/model/activation.js";
import type { Store } from "../../../src/store/store.js";
import { activation, activationId, freshAccount } from "./fixtures.js";

const BATCH = 500;

export function activationsContract(store: () => Store): void {
  describe("activations", () => {
    let account: string;
    let written: Activation[];

    // One batch of 500 across two functions and two statuses: every 3rd is "other", every 5th failed.
    before(async () => {
      account = await freshAccount(store());
      written = Array.from({ length: BATCH }, (_, i) =>
        activation(account, i + 1, {
          function: (i + 1) % 3 === 0 ? "other" : "fn",
          status: (i + 1) % 5 === 0 ? "function_error" : "succeeded",
        }),
      );
      await store().activations.insertMany(written);
    });

    const newestFirst = (list: Activation[]) => [...list].sort((a, b) => (a.id < b.id ? 1 : -1));

    it("lists the newest first, up to the limit", async () => {
      const page = await store().activations.list({ account, limit: 50 });
      assert.deepEqual(page, newestFirst(written).slice(0, 50));
    });

    it("pages through everything with the `before` cursor", async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await store().activations.list({ account, limit: 64, before: cursor });
        if (page.length === 0) break;
        seen.push(...page.map((a) => a.id));
        cursor = page.at(-1)?.id;
      }
      assert.deepEqual(
        seen,
        newestFirst(written).map((a) => a.id),
      );
    });

    it("filters by function, status and since, alone and together", async () => {
      const ids = async (filter: Partial<Parameters<Store["activations"]["list"]>[0]>) =>
        (await store().activations.list({ account, limit: 1000, ...filter })).map((a) => a.id);
      const expect = (keep: (a: Activation) => boolean) =>
        newestFirst(written)
          .filter(keep)
          .map((a) => a.id);

      assert.deepEqual(
        await ids({ function: "other" }),
        expect((a) => a.function === "other"),
      );
      assert.deepEqual(
        await ids({ status: "function_error" }),
        expect((a) => a.status === "function_error"),
      );
      const since = written[399]!.startedAt;
      assert.deepEqual(
        await ids({ since }),
        expect((a) => a.startedAt >= since),
      );
      assert.deepEqual(
        await ids({ function: "fn", status: "function_error", since, before: activationId(480) }),
        expect(
          (a) =>
            a.function === "fn" &&
            a.status === "function_error" &&
            a.startedAt >= since &&
            a.id < activationId(480),
        ),
      );
      assert.deepEqual(await ids({ function: "nope" }), []);
    });

    it("keeps accounts apart", async () => {
      const other = await freshAccount(store());
      assert.deepEqual(await store().activations.list({ account: other, limit: 10 }), []);
      assert.equal(await store().activations.get(other, activationId(1)), undefined);
    });

    it("reads one back exactly as written", async () => {
      assert.deepEqual(await store().activations.get(account, activationId(7)), written[6]);
      assert.equal(await store().activations.get(account, "act_missing"), undefined);
    });

    it("round-trips every kind of result, error and logs", async () => {
      const acct = await freshAccount(store());
      const results: unknown[] = [
        null,
        "a string",
        "",
        0,
        -1.5,
        true,
        false,
        [],
        [1, "two", null],
        {},
        { a: { b: [null] } },
      ];
      const rows = results.map((result, i) => activation(acct, i + 1, { result }));
      const failed = activation(acct, 100, {
        status: "timeout",
        result: null,
        error: { code: "RUNLET_ERR_TIMEOUT", message: "took longer than 30000 ms" },
        logs: [
          { t: 1_700_000_000_001, level: "info", msg: 'héllo ✓ \u0000 "quoted"\nnext line' },
          { t: 1_700_000_000_002, level: "error", msg: "" },
        ],
        logsTruncated: true,
        coldStart: true,
        durationMs: 30_000.75,
        billedMs: 30_001,
        memoryMb: 1024,
        trigger: "schedule",
      });
      await store().activations.insertMany([...rows, failed]);

      for (const [i, result] of results.entries()) {
        assert.deepEqual((await store().activations.get(acct, activationId(i + 1)))?.result, result);
      }
      assert.deepEqual(await store().activations.get(acct, activationId(100)), failed);
    });

    it("stores an undefined result as null", async () => {
      const acct = await freshAccount(store());
      await store().activations.insertMany([activation(acct, 1, { result: undefined })]);
      assert.equal((await store().activations.get(acct, activationId(1)))?.result, null);
    });

    it("accepts an empty batch, which changes nothing", async () => {
      const acct = await freshAccount(store());
      await store().activations.insertMany([activation(acct, 1)]);
      const before = await store().activations.list({ account: acct, limit: 10 });
      await store().activations.insertMany([]);
      assert.equal(before.length, 1);
      assert.deepEqual(await store().activations.list({ account: acct, limit: 10 }), before);
    });

    it("replaces a record written again under the same id", async () => {
      const acct = await freshAccount(store());
      await store().activations.insertMany([activation(acct, 1, { status: "queued", result: null })]);
      const final = activation(acct, 1, { status: "succeeded", result: "done", durationMs: 9 });
      await store().activations.insertMany([final]);
      assert.deepEqual(await store().activations.list({ account: acct, limit: 10 }), [final]);
    });
  });
}
