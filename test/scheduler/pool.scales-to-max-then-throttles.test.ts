import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileSource } from "../../src/runtime/compile.js";
import { Instance } from "../../src/runtime/instance.js";
import { SparePool } from "../../src/runtime/spares.js";
import { Pool, type PoolSettings } from "../../src/scheduler/pool.js";
import { waitFor } from "../queue/helpers.js";

const SLOW = `export default async () => { await new Promise((r) => setTimeout(r, 150)); return "ok"; }`;

async function makePool(settings: Partial<PoolSettings>) {
  const code = await compileSource({ source: SLOW });
  let started = 0;
  const pool = new Pool(
    "t/slow@1",
    {
      concurrency: 1,
      minInstances: 0,
      maxInstances: 2,
      idleTimeoutMs: 60_000,
      queueLimit: 2,
      queueTimeoutMs: 2000,
      ...settings,
    },
    async () => {
      started += 1;
      return Instance.start({
        code,
        account: "t",
        name: "slow",
        version: 1,
        env: {},
        memoryMb: 32,
        logLines: 10,
        logBytes: 1000,
        responseBytes: 1000,
        spares: new SparePool(0),
      });
    },
  );
  return { pool, started: () => started };
}

function run(pool: Pool) {
  return pool.acquire().then(async (lease) => {
    try {
      const input = {
        id: `act_${Math.random()}`,
        deadline: Date.now() + 5000,
        event: {
          id: "e",
          type: "t",
          source: "/s",
          time: "",
          payload: null,
          headers: [] as [string, string][],
        },
      };
      return { outcome: await lease.instance.invoke(input, 5000), cold: lease.coldStart };
    } finally {
      pool.release(lease.instance);
    }
  });
}

describe("a version's pool scales up to maxInstances, queues briefly, then refuses with 429", () => {
  it("starts instances on demand up to maxInstances and no further", async () => {
    const { pool, started } = await makePool({ maxInstances: 2, queueLimit: 10 });
    const results = await Promise.all(Array.from({ length: 6 }, () => run(pool)));
    assert.ok(results.every((r) => r.outcome.status === "succeeded"));
    assert.equal(started(), 2);
    assert.equal(pool.instances.length, 2);
    assert.ok(
      results.some((r) => r.cold),
      "the first invocations waited for a start",
    );
    pool.drain();
  });

  it("refuses past the wait queue with RUNLET_ERR_THROTTLED and a Retry-After", async () => {
    const { pool } = await makePool({ maxInstances: 1, minInstances: 1, queueLimit: 2 });
    await pool.prewarm();
    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => run(pool)));
    const ok = settled.filter((s) => s.status === "fulfilled");
    const refused = settled.filter((s) => s.status === "rejected") as PromiseRejectedResult[];
    assert.equal(ok.length, 3, "one running + two waiting");
    assert.equal(refused.length, 2);
    for (const r of refused) {
      assert.equal(r.reason.code, "RUNLET_ERR_THROTTLED");
      assert.ok(Number(r.reason.headers["retry-after"]) >= 1);
    }
    pool.drain();
  });

  it("refuses a request that waited longer than queueTimeoutMs", async () => {
    // Prewarmed, so the first never waits (however slow a start is on a loaded machine) and the second
    // waits for the first's 150 ms, past its 50 ms.
    const { pool } = await makePool({ maxInstances: 1, minInstances: 1, queueLimit: 10, queueTimeoutMs: 50 });
    await pool.prewarm();
    const settled = await Promise.allSettled([run(pool), run(pool)]);
    assert.equal(settled[0].status, "fulfilled");
    assert.equal(settled[1].status, "rejected");
    pool.drain();
  });

  it("disposes instances idle past idleTimeoutMs, keeping minInstances", async () => {
    const { pool } = await makePool({ maxInstances: 3, minInstances: 1, idleTimeoutMs: 100, queueLimit: 10 });
    await pool.prewarm();
    assert.equal(pool.instances.length, 1, "minInstances are prewarmed");
    await Promise.all(Array.from({ length: 3 }, () => run(pool)));
    assert.equal(pool.instances.length, 3);
    assert.equal(pool.reap(Date.now() + 1000), 2);
    assert.equal(pool.instances.length, 1);
    pool.drain();
  });

  it("a drained pool lets in-flight invocations finish, then holds no instance", async () => {
    const { pool } = await makePool({ maxInstances: 1 });
    const running = run(pool);
    await waitFor("the invocation to hold an instance", async () => pool.busy === 1);
    pool.drain();
    const { outcome } = await running;
    assert.equal(outcome.status, "succeeded");
    assert.equal(pool.drained, true);
  });
});
