import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("GET …/functions/{name} shows the last hour's invocations and p50/p99 duration", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy(
      "flaky",
      `export default async (e) => { if (e.payload.fail) throw new Error("no"); return 1; }`,
    );
  });
  after(() => t.close());

  it("counts by status from the activation records and gives percentiles of their durations", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await t.invoke("flaky", { fail: false })).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await t.invoke("flaky", { fail: true })).status, 502);
    await t.platform.activations.flush();
    const res = await t.call("GET", "/v1/accounts/default/functions/flaky");
    assert.equal(res.status, 200);
    const lastHour = res.body.stats.lastHour;
    assert.deepEqual(lastHour.byStatus, { succeeded: 5, function_error: 2 });
    assert.equal(lastHour.invocations, 7);
    const list = await t.call("GET", "/v1/accounts/default/activations?function=flaky&limit=100");
    const durations = (list.body.activations as { durationMs: number }[])
      .map((a) => a.durationMs)
      .sort((a, b) => a - b);
    assert.equal(durations.length, 7);
    assert.equal(lastHour.p50Ms, durations[3]);
    assert.equal(lastHour.p99Ms, durations[6]);
    assert.ok(Date.parse(lastHour.since) <= Date.now() - 3_599_000);
  });
});
