import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("budget routes refuse bad input with a code and what to send", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy("hello", "export default async () => 1");
  });
  after(() => t.close());

  const route = "/v1/accounts/default/functions/hello/budget";

  it("refuses amounts, thresholds and webhook URLs out of range with 400 RUNLET_ERR_INVALID_BUDGET", async () => {
    const cases: [unknown, RegExp][] = [
      [{ amount: 0 }, /amount must be above 0/],
      [{ amount: -5 }, /amount must be above 0/],
      [{ amount: 1e12 }, /at most 1000000000/],
      [{ amount: 0.0000001 }, /at least 0\.000001/],
      [{ amount: 10, thresholds: [0, 50] }, /whole percentages from 1 to 1000/],
      [{ amount: 10, thresholds: [50.5] }, /whole percentages/],
      [{ amount: 10, thresholds: Array.from({ length: 11 }, (_, i) => i + 1) }, /at most 10/],
      [{ amount: 10, webhookUrl: "ftp://example.com/hook" }, /http:\/\/ or https:\/\//],
      [{ amount: 10, webhookUrl: "not a url" }, /absolute/],
    ];
    for (const [body, message] of cases) {
      const res = await t.call("PUT", route, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_BUDGET", JSON.stringify(body));
      assert.match(res.body.error.message, message);
    }
  });

  it("refuses a body of the wrong shape with 400 RUNLET_ERR_BAD_REQUEST", async () => {
    for (const body of [{}, { amount: "ten" }, { amount: 10, hardLimit: "yes" }, { amount: 10, extra: 1 }]) {
      const res = await t.call("PUT", route, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, "RUNLET_ERR_BAD_REQUEST", JSON.stringify(body));
    }
  });

  it("answers 404 for a missing budget or function, with what to do", async () => {
    const none = await t.call("GET", route);
    assert.equal(none.status, 404);
    assert.equal(none.body.error.code, "RUNLET_ERR_BUDGET_NOT_FOUND");
    assert.match(none.body.error.message, /runlet budget set/);
    const missing = await t.call("PUT", "/v1/accounts/default/functions/nope/budget", { amount: 1 });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "RUNLET_ERR_FUNCTION_NOT_FOUND");
    assert.equal((await t.call("DELETE", route)).status, 404);
  });
});
