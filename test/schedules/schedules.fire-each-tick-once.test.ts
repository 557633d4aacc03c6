import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import pg from "pg";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { claimedTicks, ranTicks, secondsBetween, sleep, TICK_SOURCE } from "./helpers.js";

const EVERY_SECOND = "*/1 * * * * *";

function assertConsecutiveSeconds(ticks: number[]): void {
  assert.equal(new Set(ticks).size, ticks.length, `no tick ran twice: ${ticks.join(", ")}`);
  for (const tick of ticks) assert.equal(tick % 1000, 0, "ticks are whole seconds");
  for (let i = 1; i < ticks.length; i++) assert.equal(ticks[i]! - ticks[i - 1]!, 1000, "no tick skipped");
}

/** Redeploys without schedules (the function stays deployed, so queued firings still run) and settles. */
async function stopSchedules(t: TestPlatform, name: string): Promise<number> {
  await t.deploy(name, `${TICK_SOURCE}\n// no schedules`, { schedules: [] });
  await t.platform.triggers.settled();
  return Date.now();
}

// PostgreSQL runs on the development machine and in CI: unreachable fails, never skips.
const pgUrl = process.env.RUNLET_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `runlet_sched_${randomBytes(6).toString("hex")}`;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// The scenarios each wait on the clock for seconds, so they run side by side.
describe("schedules", { concurrency: true }, () => {
  it("an every-second schedule fires once per second over 10 s, each tick once, until redeployed without it", async () => {
    const t = await startPlatform();
    cleanups.push(() => t.close());
    const deployAt = Date.now();
    await t.deploy("every", TICK_SOURCE, { schedules: [{ cron: EVERY_SECOND, payload: { hello: 1 } }] });
    await t.platform.triggers.settled();
    const armedAt = Date.now();
    await sleep(10_000);
    const stopAt = Date.now();
    const stoppedAt = await stopSchedules(t, "every");

    const claimed = await claimedTicks(t, "every");
    await sleep(1500);
    assert.deepEqual(await claimedTicks(t, "every"), claimed, "nothing fires once the schedule is gone");

    const ran = await ranTicks(t, "every", claimed.length);
    assert.deepEqual(ran, claimed, "every claimed tick ran exactly once");
    assertConsecutiveSeconds(ran);
    const least = secondsBetween(armedAt, stopAt);
    const most = secondsBetween(deployAt, stoppedAt);
    assert.ok(least >= 9, `the test waited about 10 s (${least})`);
    assert.ok(
      ran.length >= least - 1 && ran.length <= most,
      `fired ${ran.length} times; the clock allows ${least - 1} to ${most}`,
    );
    for (const tick of ran) assert.ok(tick > deployAt - 1000 && tick <= stoppedAt);

    await t.platform.activations.flush();
    const list = await t.call("GET", "/v1/accounts/default/activations?function=every&limit=1");
    assert.deepEqual(list.body.activations[0].result.payload, { hello: 1 });
    assert.equal(list.body.activations[0].result.type, "runlet.schedule");
  });

  it("a cron naming one upcoming time fires exactly once at it, and not again", async () => {
    const t = await startPlatform();
    cleanups.push(() => t.close());
    // The next-minute case at second precision: "S M H * * *" names one instant, as "M H * * *" does a
    // minute (same croner match, same code path; test/schedules/schedules.bad-input-and-next-firings
    // checks that 5 fields equal 6 with second 0), without waiting up to a minute.
    const target = new Date(Math.ceil((Date.now() + 4000) / 1000) * 1000);
    const cron = `${target.getUTCSeconds()} ${target.getUTCMinutes()} ${target.getUTCHours()} * * *`;
    await t.deploy("once", TICK_SOURCE, { schedules: [{ cron }] });
    await t.platform.triggers.settled();

    const got = await t.call("GET", "/v1/accounts/default/functions/once");
    assert.equal(got.body.schedules[0].next[0], target.toISOString(), "GET shows the coming firing");

    await sleep(target.getTime() - Date.now());
    // A loaded machine may fire it late; wait for it, then a while longer for a second firing that must not come.
    for (let i = 0; i < 100 && (await claimedTicks(t, "once")).length === 0; i++) await sleep(100);
    await sleep(1500);
    const claimed = await claimedTicks(t, "once");
    assert.deepEqual(claimed, [target.getTime()]);
    assert.deepEqual(await ranTicks(t, "once", 1), [target.getTime()]);
    const armed = t.platform.triggers.schedules.armed().find((a) => a.function === "once");
    assert.ok(
      armed?.next !== undefined && armed.next - target.getTime() >= 86_400_000 - 1000,
      "next is tomorrow",
    );
  });

  it("two nodes on one PostgreSQL fire each tick once between them", async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    cleanups.push(async () => {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    });
    const url = new URL(pgUrl);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const triggers = { syncMs: 100 };
    const a = await startPlatform({ databaseUrl: url.toString(), config: { triggers } });
    cleanups.push(() => a.close());
    const b = await startPlatform({ databaseUrl: url.toString(), config: { triggers } });
    cleanups.push(() => b.close());

    const deployAt = Date.now();
    await a.deploy("both", TICK_SOURCE, { schedules: [{ cron: EVERY_SECOND }] });
    await a.platform.triggers.settled();
    await b.platform.triggers.settled();
    assert.ok(a.platform.triggers.schedules.armed().some((s) => s.function === "both"));
    assert.ok(
      b.platform.triggers.schedules.armed().some((s) => s.function === "both"),
      "B armed A's deploy",
    );
    const armedAt = Date.now();
    await sleep(5000);
    const stopAt = Date.now();
    await stopSchedules(a, "both");
    await b.platform.triggers.settled();
    const stoppedAt = Date.now();

    const claimed = await claimedTicks(a, "both");
    const ran = await ranTicks(a, "both", claimed.length);
    assert.deepEqual(ran, claimed, "each claimed tick ran once, on one node or the other");
    assertConsecutiveSeconds(ran);
    const least = secondsBetween(armedAt, stopAt);
    assert.ok(
      ran.length >= least - 1 && ran.length <= secondsBetween(deployAt, stoppedAt),
      `fired ${ran.length}`,
    );

    // The lock itself: many claims of one tick from both nodes at once, exactly one lands.
    const storeA = a.platform.store.triggers;
    const storeB = b.platform.store.triggers;
    const firing = {
      account: "default",
      function: "both",
      schedule: "race",
      tick: 1_000,
      firedAt: Date.now(),
    };
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? storeA : storeB).claimTick({ ...firing, node: i % 2 ? "a" : "b" }),
      ),
    );
    assert.equal(wins.filter(Boolean).length, 1);
    const other = await openPostgresStore(pgUrl, { schema });
    try {
      assert.equal(
        await other.triggers.claimTick({ ...firing, node: "c" }),
        false,
        "a third connection loses too",
      );
    } finally {
      await other.close();
    }
  });

  it("a tick missed while no node ran fires once on start (catch-up on), not at all with catch-up off", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "runlet-catchup-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const databaseUrl = `sqlite:${path.join(dir, "runlet.db")}`;

    const first = await startPlatform({ databaseUrl });
    await first.deploy("catchup", TICK_SOURCE, { schedules: [{ cron: EVERY_SECOND }] });
    await first.platform.triggers.settled();
    while ((await claimedTicks(first, "catchup")).length < 2) await sleep(100);
    await first.close();
    const lastBefore = Math.max(...(await claimedTicksOf(databaseUrl)));
    await sleep(2500);

    const restartAt = Date.now();
    const second = await startPlatform({ databaseUrl });
    const readyAt = Date.now();
    await sleep(1200);
    await stopSchedules(second, "catchup");
    const afterRestart = (await claimedTicks(second, "catchup")).filter((tick) => tick > lastBefore);
    const [caughtUp] = afterRestart;
    assert.ok(caughtUp !== undefined);
    assert.ok(caughtUp <= readyAt, "the first tick after the restart was one missed while down");
    assert.ok(caughtUp >= lastBefore + 2000, "only the newest missed tick ran, not every missed one");
    assert.ok(caughtUp >= Math.floor(restartAt / 1000) * 1000 - 1000, "it is the newest missed tick");
    const all = await claimedTicks(second, "catchup");
    assert.deepEqual(await ranTicks(second, "catchup", all.length), all, "each claimed tick ran once");
    await second.close();

    // Catch-up off: the gap stays a gap.
    await sleep(2200);
    const lastOn = Math.max(...(await claimedTicksOf(databaseUrl)));
    const offAt = Date.now();
    const third = await startPlatform({ databaseUrl, config: { triggers: { catchUp: false } } });
    cleanups.push(() => third.close());
    await third.deploy("catchup", TICK_SOURCE, { schedules: [{ cron: EVERY_SECOND }] });
    await third.platform.triggers.settled();
    await sleep(1500);
    await stopSchedules(third, "catchup");
    const afterOff = (await claimedTicks(third, "catchup")).filter((tick) => tick > lastOn);
    assert.ok(afterOff.length > 0 && afterOff[0]! > offAt, "no missed tick ran");
  });
});

async function claimedTicksOf(databaseUrl: string): Promise<number[]> {
  const { openStore } = await import("../../src/store/open-store.js");
  const store = await openStore(databaseUrl);
  try {
    return (await store.triggers.recent("default", "catchup", 10_000)).map((row) => row.tick);
  } finally {
    await store.close();
  }
}
