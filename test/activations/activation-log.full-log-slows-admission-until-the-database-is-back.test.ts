import assert from "node:assert/strict";
import { it } from "node:test";
import { ActivationLog } from "../../src/dispatcher/activation-log.js";
import { RunletError } from "../../src/errors.js";
import { activation, countRows, DIALECTS } from "./helpers.js";

const open = DIALECTS.find(([name]) => name === "postgres")![1];

it("while the activations table is unavailable, records wait, admission waits, and nothing is lost", async () => {
  const { store, pg, close } = await open();
  try {
    const errors: unknown[] = [];
    const options = { highWaterRecords: 50, roomTimeoutMs: 300 };
    const log = new ActivationLog(store, (err) => errors.push(err), options);
    // A second node's log, more patient: its admission waits until the table is back.
    const patient = new ActivationLog(store, (err) => errors.push(err), {
      ...options,
      roomTimeoutMs: 60_000,
    });
    await pg!.query("alter table activations rename to activations_away");
    const made = Array.from({ length: 50 }, () => activation());
    for (const a of made) log.record(a);
    assert.equal((await log.get("acct", made[0]!.id))?.id, made[0]!.id, "unwritten records stay readable");

    // Full: admission waits, then is refused with a clear 503 rather than admitted unrecorded.
    const refused = await log.room().then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(refused instanceof RunletError);
    assert.equal(refused.code, "RUNLET_ERR_UNAVAILABLE");
    assert.equal(refused.status, 503);

    const later = Array.from({ length: 50 }, () => activation());
    for (const a of later) patient.record(a);
    const waiting = patient.room();
    let admitted = false;
    void waiting.then(() => (admitted = true));
    // Until both logs have found that they cannot write (a condition, not a time).
    for (const until = Date.now() + 30_000; errors.length < 2;) {
      if (Date.now() > until) assert.fail(`only ${errors.length} of 2 logs reported the failure`);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(admitted, false, "still waiting while nothing can be written");
    await pg!.query("alter table activations_away rename to activations");
    await waiting;
    await Promise.all([log.flush(), patient.flush()]);
    assert.equal(await countRows(store), 100, "every record stored once the table is back");
    for (const a of [...made, ...later])
      assert.deepEqual(await store.activations.get("acct", a.id), a, "whole, not reduced");
  } finally {
    await close();
  }
});
