import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("idle-function policy: bad input", () => {
  let t: TestPlatform;
  const policy = "/v1/accounts/default/idle-policy";
  before(async () => {
    t = await startPlatform();
  });
  after(() => t.close());

  it("days outside 1–3650 or a webhook that is not an absolute http(s) URL are a 400 saying what to send", async () => {
    for (const body of [
      {},
      { undeployAfterDays: 0 },
      { undeployAfterDays: 2.5 },
      { undeployAfterDays: "30" },
    ]) {
      const res = await t.call("PUT", policy, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_IDLE_POLICY");
      assert.match(
        res.body.error.message,
        /undeployAfterDays must be a whole number of days from 1 to 3650.*send e\.g\./,
      );
    }
    for (const webhookUrl of ["ftp://example.com/x", "not a url", 42]) {
      const res = await t.call("PUT", policy, { undeployAfterDays: 30, webhookUrl });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_IDLE_POLICY");
      assert.match(res.body.error.message, /webhookUrl/);
    }
  });

  it("reading or removing a policy that was never set is a 404 saying how to set one", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await t.call(method, policy);
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "RUNLET_ERR_IDLE_POLICY_NOT_FOUND");
    }
  });

  it("a negative or non-numeric idleDays is a 400", async () => {
    for (const days of ["-1", "soon"]) {
      const res = await t.call("GET", `/v1/accounts/default/functions?idleDays=${days}`);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_BAD_REQUEST");
    }
  });

  it("a developer key may not set the policy (it undeploys functions)", async () => {
    const key = await t.call("POST", "/v1/accounts/default/keys", { name: "dev", role: "developer" });
    const res = await t.call("PUT", policy, { undeployAfterDays: 30 }, { key: key.body.key });
    assert.equal(res.status, 403, res.text);
  });
});
