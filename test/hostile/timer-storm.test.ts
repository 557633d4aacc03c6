import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runFatalOomAttack } from "./fatal-oom.js";

// Each timer re-arms a hundred more: the sandbox's timer table grows until V8 itself runs out of memory.
// That used to abort the whole process; now only the invocation fails.
describe("hostile: a storm of zero-delay timers re-arming themselves", () => {
  it("fails only that invocation with 502 RUNLET_ERR_MEMORY_LIMIT; the platform and the neighbour keep answering", () => {
    const report = runFatalOomAttack(`export default async () => {
      const storm = () => { for (let i = 0; i < 100; i++) setTimeout(storm, 0); };
      storm();
      await new Promise(() => {});
    }`);
    assert.equal(report.failed, undefined, report.failed);
    assert.ok([502, 504].includes(report.status), report.output);
    assert.match(report.error.code, /^RUNLET_ERR_(MEMORY_LIMIT|TIMEOUT)$/);
    assert.equal(report.health, 200);
    assert.deepEqual(report.neighbour, { doubled: 42, me: "neighbour" });
    assert.equal(report.signal, "SIGKILL", "the child ended itself after reporting, not by aborting");
  });
});
