import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runFatalOomAttack } from "./fatal-oom.js";

// A Map growing past the limit fails inside V8's allocator, not in JS where isolated-vm's memory limit
// catches it: without the platform's onCatastrophicError hook this aborted the whole process (SIGABRT).
describe("hostile: a Map grown without bound (a fatal V8 out-of-memory)", () => {
  it("fails only that invocation with 502 RUNLET_ERR_MEMORY_LIMIT; the platform and the neighbour keep answering", () => {
    const report = runFatalOomAttack(
      `export default async () => { const m = new Map(); for (let i = 0; ; i++) m.set(i, { i }); }`,
    );
    assert.equal(report.failed, undefined, report.failed);
    assert.equal(report.status, 502, report.output);
    assert.equal(report.error.code, "RUNLET_ERR_MEMORY_LIMIT");
    assert.match(report.error.message, /memory limit of 32 MB/);
    assert.ok(report.answered >= 1);
    assert.equal(report.health, 200);
    assert.deepEqual(report.neighbour, { doubled: 42, me: "neighbour" });
    assert.equal(report.signal, "SIGKILL", "the child ended itself after reporting, not by aborting");
  });
});
