import assert from "node:assert/strict";
import { after, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { claimedTicks, ranTicks, sleep, TICK_SOURCE } from "./helpers.js";

let t: TestPlatform;
after(() => t.close());

it("a node whose event loop stalls past several ticks fires each of them once when it wakes", async () => {
  t = await startPlatform();
  await t.deploy("stall", TICK_SOURCE, { schedules: [{ cron: "* * * * * *" }] });
  await t.platform.triggers.settled();
  await sleep(1200);
  // Synchronous work holds the only thread the timers run on, past three ticks.
  const stallStart = Date.now();
  while (Date.now() - stallStart < 3300);
  const stallEnd = Date.now();
  await sleep(1500);
  await t.deploy("stall", `${TICK_SOURCE}\n// stop`, { schedules: [] });
  await t.platform.triggers.settled();

  const claimed = await claimedTicks(t, "stall");
  const ran = await ranTicks(t, "stall", claimed.length);
  assert.deepEqual(ran, claimed);
  const passed = claimed.filter((tick) => tick > stallStart && tick <= stallEnd);
  assert.ok(passed.length >= 3, `the ticks passed during the stall fired: ${passed.length}`);
  for (let i = 1; i < ran.length; i++)
    assert.equal(ran[i]! - ran[i - 1]!, 1000, "no tick skipped or repeated");
});
