import assert from "node:assert/strict";
import { after, it } from "node:test";
import { scheduleKey } from "../../src/triggers/cron.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { ranTicks, TICK_SOURCE } from "./helpers.js";

let t: TestPlatform;
after(() => t.close());

it("a tick claimed by a node that stopped before submitting is submitted by another, once", async () => {
  t = await startPlatform();
  // Yearly: never fires on its own during the test.
  const schedule = { cron: "0 0 1 1 *", payload: { report: "yearly" } };
  await t.deploy("yearly", TICK_SOURCE, { schedules: [schedule] });
  const tick = Date.UTC(2025, 0, 1);
  const repo = t.platform.store.triggers;
  const claim = { account: "default", function: "yearly", tick, node: "node_gone" };
  // The stopped node claimed two ticks over a minute ago and never recorded an activation.
  assert.ok(
    await repo.claimTick({ ...claim, schedule: scheduleKey(schedule), firedAt: Date.now() - 120_000 }),
  );
  assert.ok(await repo.claimTick({ ...claim, schedule: "removed-schedule", firedAt: Date.now() - 120_000 }));

  await t.platform.triggers.settled();
  const [firing] = await repo
    .recent("default", "yearly", 10)
    .then((all) => all.filter((f) => f.schedule === scheduleKey(schedule)));
  assert.match(firing?.activationId ?? "", /^act_/, "resubmitted and recorded");
  assert.deepEqual(await ranTicks(t, "yearly", 1), [tick], "it ran for the claimed tick");

  const gone = (await repo.recent("default", "yearly", 10)).find((f) => f.schedule === "removed-schedule");
  assert.equal(gone?.activationId, "", "a claim whose schedule is gone is closed, not run");
  assert.deepEqual(await repo.unsubmitted(Date.now(), 10), [], "nothing left to resubmit");

  await t.platform.triggers.settled();
  assert.deepEqual(await ranTicks(t, "yearly", 1), [tick], "a second sync does not submit it again");
});
