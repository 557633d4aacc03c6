import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("a fault rule that names no known target or kind is a 400 saying what to send instead", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
  });
  after(() => t.close());

  const put = (rules: unknown) => t.call("PUT", "/v1/accounts/default/faults/p", { rules });

  it("an unknown target lists the valid targets, and nothing is stored", async () => {
    const res = await put([{ target: "database:orders", kind: "error" }]);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_FAULT_RULE");
    assert.match(res.body.error.message, /rules\[0\]: unknown target "database:orders"/);
    assert.match(res.body.error.message, /"fetch:<host>".*"invoke:<function>".*"kv"/);
    assert.equal((await t.call("GET", "/v1/accounts/default/faults/p")).status, 404);
  });

  it("a kind that does not apply, a status without status, a rate outside (0, 1] are refused the same way", async () => {
    for (const [rule, message] of [
      [{ target: "kv", kind: "timeout" }, /kind "timeout" does not apply to kv; use one of "unavailable"/],
      [{ target: "fetch:api.example.com", kind: "status" }, /needs status/],
      [{ target: "fetch:api.example.com", kind: "delay", delayMs: 0 }, /needs delayMs/],
      [{ target: "invoke:billing", kind: "error", rate: 1.5 }, /rate must be/],
      [{ target: "invoke:Not A Name", kind: "error" }, /unknown target/],
    ] as const) {
      const res = await put([rule]);
      assert.equal(res.status, 400, JSON.stringify(rule));
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_FAULT_RULE");
      assert.match(res.body.error.message, message);
    }
    const empty = await put([]);
    assert.equal(empty.body.error.code, "RUNLET_ERR_INVALID_FAULT_RULE");
  });
});
