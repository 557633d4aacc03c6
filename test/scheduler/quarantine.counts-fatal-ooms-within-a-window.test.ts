import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Quarantine } from "../../src/scheduler/quarantine.js";

describe("scheduler: quarantine after repeated fatal out-of-memory errors", () => {
  it("quarantines a version at the 3rd within the window, only that version, and says how to get out", () => {
    const q = new Quarantine({ fatalOoms: 3, windowMs: 60_000 });
    assert.equal(q.record("v1", 0), false);
    assert.equal(q.record("v1", 10_000), false);
    assert.doesNotThrow(() => q.check("v1", "a/f@1"));
    assert.equal(q.record("v1", 20_000), true);
    assert.throws(
      () => q.check("v1", "a/f@1"),
      (err: { code: string; message: string }) =>
        err.code === "RUNLET_ERR_QUARANTINED" && /deploy a new version/.test(err.message),
    );
    assert.doesNotThrow(() => q.check("v2", "a/f@2"), "a new version starts clean");
    assert.equal(q.size, 1);
  });

  it("does not count fatal out-of-memory errors older than the window", () => {
    const q = new Quarantine({ fatalOoms: 3, windowMs: 60_000 });
    q.record("v1", 0);
    q.record("v1", 30_000);
    assert.equal(q.record("v1", 61_000), false, "the first fell out of the window");
    assert.equal(q.record("v1", 62_000), true);
  });
});
