import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { compileSource } from "../../src/runtime/compile.js";
import { Instance } from "../../src/runtime/instance.js";
import { SparePool } from "../../src/runtime/spares.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { waitFor } from "../queue/helpers.js";

const SLOW = `export default async () => { await new Promise((r) => setTimeout(r, 400)); return "slow"; }`;

describe("a start past the node's isolate memory budget answers 429 RUNLET_ERR_MEMORY_BUDGET over HTTP", () => {
  let t: TestPlatform;
  before(async () => {
    // Size the budget from what one warm instance of this function holds: room for two, not three.
    const probe = await Instance.start({
      code: await compileSource({ source: SLOW }),
      account: "p",
      name: "p",
      version: 1,
      env: {},
      memoryMb: 32,
      logLines: 10,
      logBytes: 1000,
      responseBytes: 1000,
      spares: new SparePool(0),
    });
    const footprint = await probe.measure();
    probe.dispose();
    t = await startPlatform({ limits: { isolateMemoryMb: (2.5 * footprint) / (1024 * 1024) } });
    await t.deploy("other", `export default async () => "other"`, { memoryMb: 32 });
    // One invocation per instance (the default is 8): the two slow ones must take two instances.
    await t.deploy("slow", SLOW, { memoryMb: 32, maxInstances: 10, concurrency: 1 });
  });
  after(() => t.close());

  it("refuses a function that needs its first instance while busy ones fill the budget; Retry-After; recorded as rejected", async () => {
    // Two slow invocations take two instances (the idle "other" is evicted to make room for the second).
    const busy = Promise.all([t.invoke("slow"), t.invoke("slow")]);
    try {
      const slowPool = () => t.platform.scheduler.pools().find((p) => p.key === "default/slow@1");
      await waitFor("both slow invocations to run", async () => slowPool()?.busy === 2);
      const refused = await t.invoke("other");
      assert.equal(refused.status, 429, refused.text);
      assert.equal(refused.body.error.code, "RUNLET_ERR_MEMORY_BUDGET");
      assert.equal(refused.headers.get("retry-after"), "1");
    } finally {
      // Awaited whatever happened above: nothing this test started outlives it.
      for (const res of await busy) assert.equal(res.status, 200, res.text);
    }
    // Once they are idle, one of them is evicted and "other" runs.
    const again = await t.invoke("other");
    assert.equal(again.status, 200, again.text);
    await t.platform.activations.flush();
    const list = await t.call("GET", "/v1/accounts/default/activations?function=other&status=rejected");
    assert.equal(list.body.activations.length, 1);
    assert.equal(list.body.activations[0].error.code, "RUNLET_ERR_MEMORY_BUDGET");
  });
});
