import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config.js";
import { compileSource } from "../../src/runtime/compile.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import type { VersionRecord } from "../../src/model/function.js";
import { waitFor } from "../queue/helpers.js";

const QUICK = `export default async () => "ok"`;
const SLOW = `export default async () => { await new Promise((r) => setTimeout(r, 300)); return "slow"; }`;
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function version(name: string, code: string, config: Partial<VersionRecord["config"]> = {}): VersionRecord {
  return {
    id: `mem/${name}@1`,
    account: "mem",
    function: name,
    version: 1,
    code,
    config: {
      timeoutMs: 5000,
      memoryMb: 32,
      concurrency: 1,
      minInstances: 0,
      maxInstances: 4,
      idleTimeoutMs: 60_000,
      env: {},
      ...config,
    },
  } as unknown as VersionRecord;
}

function input(id: string) {
  return {
    id,
    deadline: Date.now() + 5000,
    event: { id, type: "t", source: "/s", time: "", payload: null, headers: [] as [string, string][] },
  };
}

/** One invocation through the scheduler, as the dispatcher does it. */
async function run(scheduler: Scheduler, v: VersionRecord) {
  const lease = await scheduler.acquire(v);
  try {
    return await lease.instance.invoke(input(`act_${Math.random()}`), 5000);
  } finally {
    scheduler.release(v, lease);
  }
}

const warm = (scheduler: Scheduler, name: string) =>
  scheduler.pools().find((p) => p.key === `mem/${name}@1`)?.instances.length ?? 0;

describe("under memory pressure the least recently used idle instances go first, then starts are refused", () => {
  let quick: string;
  let slow: string;
  /** What one warm instance of these functions holds, measured the way the budget measures it. */
  let footprint: number;
  const schedulers: Scheduler[] = [];

  /** A scheduler whose budget fits two warm instances but not three. */
  function scheduler(): Scheduler {
    const limits = { ...loadConfig({}).limits, isolateMemoryMb: (2.5 * footprint) / MiB };
    const s = new Scheduler(limits, { reapEveryMs: 60_000 });
    schedulers.push(s);
    return s;
  }

  before(async () => {
    quick = await compileSource({ source: QUICK });
    slow = await compileSource({ source: SLOW });
    const probe = new Scheduler({ ...loadConfig({}).limits, isolateMemoryMb: 1024 });
    const v = version("probe", quick);
    await run(probe, v);
    const instance = probe.pools()[0]!.instances[0]!;
    footprint = await instance.measure();
    await probe.close();
    assert.ok(footprint > 100_000, `an isolate holds some memory (${footprint} bytes)`);
  });
  after(() => Promise.all(schedulers.map((s) => s.close())));

  it("measures each warm instance and counts it against the budget", async () => {
    const s = scheduler();
    await run(s, version("a", quick));
    const instance = s.pools()[0]!.instances[0]!;
    await instance.measure();
    assert.ok(instance.footprintBytes > 0);
    assert.equal(s.memory.inUse(), instance.footprintBytes);
  });

  it("evicts the least recently used idle instance of another function to start a new one", async () => {
    const s = scheduler();
    const a = version("a", quick);
    const b = version("b", quick);
    const c = version("c", quick);
    // lastUsed has millisecond resolution: a few ms apart, the order of use is unambiguous.
    await run(s, a);
    await sleep(5);
    await run(s, b);
    await sleep(5);
    await run(s, a); // b is now the least recently used
    for (const pool of s.pools()) for (const i of pool.instances) await i.measure();
    assert.equal((await run(s, c)).status, "succeeded");
    assert.deepEqual([warm(s, "a"), warm(s, "b"), warm(s, "c")], [1, 0, 1]);
    assert.equal(s.memory.evictions, 1);
  });

  it("never evicts minInstances: the next least recently used idle instance goes instead", async () => {
    const s = scheduler();
    const pinned = version("pinned", quick, { minInstances: 1 });
    const b = version("b", quick);
    await s.activate(pinned);
    await run(s, b);
    for (const pool of s.pools()) for (const i of pool.instances) await i.measure();
    assert.equal((await run(s, version("c", quick))).status, "succeeded");
    assert.deepEqual([warm(s, "pinned"), warm(s, "b"), warm(s, "c")], [1, 0, 1]);
  });

  it("refuses with 429 RUNLET_ERR_MEMORY_BUDGET when only busy instances fill the budget", async () => {
    const s = scheduler();
    const busy = version("busy", slow, { maxInstances: 10 });
    // Two in flight fill the budget; the third cannot start and nothing is idle.
    const running = Promise.all([run(s, busy), run(s, busy)]);
    try {
      await waitFor("both to run", async () => s.pools()[0]?.busy === 2);
      // Pin what the busy instances count for to a share of the budget each, so the arithmetic is exact
      // whatever the allocator did meanwhile: nothing is left, and nothing is idle.
      const busyOnes = s.pools()[0]!.instances;
      for (const i of busyOnes) i.footprintBytes = s.memory.limitBytes / busyOnes.length;
      const refused = await s.acquire(version("other", quick)).then(
        () => assert.fail("a start past the budget must be refused"),
        (err: { code: string; status: number; headers: Record<string, string>; message: string }) => err,
      );
      assert.equal(refused.code, "RUNLET_ERR_MEMORY_BUDGET");
      assert.equal(refused.status, 429);
      assert.equal(refused.headers["retry-after"], "1");
      assert.match(refused.message, /RUNLET_ISOLATE_MEMORY_MB/);
    } finally {
      // Awaited whatever happened above: nothing this test started outlives it.
      const done = await running;
      assert.ok(
        done.every((o) => o.status === "succeeded"),
        "the busy ones were not disturbed",
      );
    }
    // Once they are idle, the same start evicts one and succeeds.
    assert.equal((await run(s, version("other", quick))).status, "succeeded");
  });
});
