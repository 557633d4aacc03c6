import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ActivationLog } from "../../src/dispatcher/activation-log.js";
import { activation, countRows, countWrites, DIALECTS } from "./helpers.js";

const TOTAL = 12_000;

for (const [dialect, open] of DIALECTS) {
  describe(`activation log on ${dialect}`, () => {
    it("writes each of 12,000 records exactly once, one write at a time, while more keep arriving", async () => {
      const { store, close } = await open();
      try {
        const writes = countWrites(store);
        const log = new ActivationLog(store, (err) => assert.fail(String(err)), { maxBatch: 500 });
        // Records arrive in bursts between the log's writes, as invocations finishing under load do.
        for (let i = 0; i < TOTAL; i += 250) {
          for (let j = 0; j < 250; j++) log.record(activation());
          await new Promise((r) => setImmediate(r));
        }
        await log.flush();
        assert.equal(writes.rows, TOTAL, "every record reached the database once, none again");
        assert.equal(writes.maxConcurrent, 1, "never two writes at once");
        assert.ok(writes.writes >= TOTAL / 500, "in batches of at most maxBatch");
        assert.equal(await countRows(store), TOTAL);
        assert.deepEqual(log.unwritten, { records: 0, bytes: 0 });
      } finally {
        await close();
      }
    });

    it("a later record of the same id replaces it, written or not; reads see records not yet written", async () => {
      const { store, close } = await open();
      try {
        const log = new ActivationLog(store, (err) => assert.fail(String(err)));
        const first = activation({ status: "running", result: null });
        log.record(first);
        assert.equal((await log.get("acct", first.id))?.status, "running", "read before any write");
        assert.equal(await log.get("other", first.id), undefined, "never across accounts");
        const flushed = log.flush();
        log.record({ ...first, status: "succeeded", result: 7 }); // while the first is being written
        await flushed;
        await log.flush();
        const stored = await store.activations.get("acct", first.id);
        assert.equal(stored?.status, "succeeded");
        assert.equal(stored?.result, 7);
      } finally {
        await close();
      }
    });

    it("admission that waits for room() keeps the unwritten records bounded", async () => {
      const { store, close } = await open();
      try {
        const log = new ActivationLog(store, (err) => assert.fail(String(err)), {
          highWaterRecords: 200,
          maxBatch: 100,
        });
        let most = 0;
        for (let i = 0; i < 5000; i++) {
          await log.room();
          log.record(activation());
          most = Math.max(most, log.unwritten.records);
        }
        await log.flush();
        assert.ok(most <= 201, `at most the high-water mark unwritten, saw ${most}`);
        assert.equal(await countRows(store), 5000);
      } finally {
        await close();
      }
    });
  });
}
