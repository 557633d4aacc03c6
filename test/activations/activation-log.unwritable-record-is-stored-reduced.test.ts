import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ActivationLog } from "../../src/dispatcher/activation-log.js";
import { activation, countRows, countWrites, DIALECTS } from "./helpers.js";

for (const [dialect, open] of DIALECTS) {
  describe(`activation log on ${dialect}`, () => {
    it("a record that cannot be serialised is stored reduced, with the reason", async () => {
      const { store, close } = await open();
      try {
        const log = new ActivationLog(store, (err) => assert.fail(String(err)));
        const bad = activation({ result: { big: 10n }, error: null });
        log.record(bad);
        log.record(activation());
        await log.flush();
        const stored = await store.activations.get("acct", bad.id);
        assert.equal(stored?.status, "succeeded", "what happened is kept");
        assert.equal(stored?.billedMs, 2, "and what it cost");
        assert.equal(stored?.result, null);
        assert.deepEqual(stored?.logs, []);
        assert.equal(stored?.error?.code, "RUNLET_ERR_RECORD_REDUCED");
        assert.match(stored!.error!.message, /BigInt/);
        assert.equal(await countRows(store), 2);
      } finally {
        await close();
      }
    });

    it("a record the database refuses does not poison its batch: the batch is split, the rest stored whole", async () => {
      const { store, close } = await open();
      try {
        const errors: unknown[] = [];
        const log = new ActivationLog(store, (err) => errors.push(err));
        const good = Array.from({ length: 99 }, () => activation());
        // NaN is no bigint (PostgreSQL) and binds as NULL into a NOT NULL column (SQLite).
        const bad = activation({
          startedAt: Number.NaN,
          error: { code: "RUNLET_ERR_TIMEOUT", message: "slow" },
        });
        const writes = countWrites(store);
        for (const a of good.slice(0, 50)) log.record(a);
        log.record(bad);
        for (const a of good.slice(50)) log.record(a);
        await log.flush();
        assert.equal(await countRows(store), 100);
        for (const a of good) assert.deepEqual(await store.activations.get("acct", a.id), a, "stored whole");
        const stored = await store.activations.get("acct", bad.id);
        assert.equal(stored?.error?.code, "RUNLET_ERR_RECORD_REDUCED");
        assert.match(stored!.error!.message, /RUNLET_ERR_TIMEOUT: slow/, "keeps the invocation's own error");
        assert.ok(writes.writes > 2, "the failing batch was split and retried");
        assert.deepEqual(errors, [], "the database answered throughout: nothing to report");
      } finally {
        await close();
      }
    });
  });
}
