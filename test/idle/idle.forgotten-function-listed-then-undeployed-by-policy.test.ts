import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestPlatform } from "../helpers/platform.js";
import { STORES, eventually } from "../rollouts/helpers.js";
import { DAY_MS, movableClock, signatureOf, webhookReceiver } from "./helpers.js";

const SOURCE = "export default async () => 'still here'";

for (const [store, start] of STORES) {
  describe(`forgotten functions (${store})`, () => {
    let t: TestPlatform;
    const clock = movableClock();
    let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
    before(async () => {
      hooks = await webhookReceiver();
      t = await start({
        // The webhook receiver listens on loopback, which platform requests may not reach unless let through.
        platform: { now: clock.now, idleSweepMs: 100, outbound: { allowPrivate: ["127.0.0.1"] } },
      });
      await t.deploy("forgotten", SOURCE, {
        minInstances: 1,
        memoryMb: 256,
        events: ["order.created"],
        schedules: [{ cron: "0 0 1 1 *" }],
      });
      await t.deploy("busy", SOURCE);
      assert.equal((await t.invoke("forgotten")).status, 200);
    });
    after(async () => {
      await t.close();
      await hooks.close();
    });

    it("lists a function not invoked in 30 days with what it holds and costs, and not one that was", async () => {
      assert.deepEqual(
        (await t.call("GET", "/v1/accounts/default/functions?idleDays=30")).body.functions,
        [],
      );
      clock.advance(31 * DAY_MS);
      // busy ran yesterday, as the moved clock sees it: its record is written as an invocation's would be.
      const yesterday = clock.now() - DAY_MS;
      const last = (await t.call("GET", "/v1/accounts/default/activations?function=forgotten")).body
        .activations[0];
      await t.platform.store.activations.insertMany([
        {
          ...(await t.platform.store.activations.get("default", last.id))!,
          id: `act_busy_${yesterday}`,
          function: "busy",
          startedAt: yesterday,
        },
      ]);
      const res = await t.call("GET", "/v1/accounts/default/functions?idleDays=30");
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        res.body.functions.map((f: { name: string }) => f.name),
        ["forgotten"],
      );
      const [fn] = res.body.functions;
      assert.equal(fn.state, "deployed");
      assert.equal(fn.idleDays, 31);
      assert.equal(fn.lastInvokedAt, last.startedAt);
      assert.deepEqual(fn.holds.minInstances, 1);
      assert.deepEqual(fn.holds.memoryMb, 256);
      assert.equal(fn.holds.schedules, 1);
      assert.equal(fn.holds.subscriptions, 1);
      assert.equal(fn.holds.storage.versions, 1);
      assert.ok(fn.holds.storage.bytes > SOURCE.length);
      // One 256 MB instance kept warm for 30 days: 0.25 GB × 2,592,000 s, at the configured GB-second price.
      assert.equal(fn.cost.warmGbSecondsPerMonth, 648_000);
      assert.equal(fn.cost.perMonth, Math.round(648_000 * t.platform.config.pricing.perGbSecond * 1e6) / 1e6);
      assert.deepEqual(
        (await t.call("GET", "/v1/accounts/default/functions?idleDays=40")).body.functions,
        [],
      );
    });

    it("with the account's policy, is undeployed after a signed webhook, with an audit entry", async () => {
      const put = await t.call("PUT", "/v1/accounts/default/idle-policy", {
        undeployAfterDays: 30,
        webhookUrl: hooks.url,
      });
      assert.equal(put.status, 200, put.text);
      assert.match(put.body.webhookSecret, /^[0-9a-f]{64}$/);
      const undeployed = await eventually(async () => {
        const res = await t.call("GET", "/v1/accounts/default/functions/forgotten");
        return res.body.state === "undeployed" && res;
      });
      assert.equal(undeployed.body.deployedVersion, null);
      assert.equal((await t.call("GET", "/v1/accounts/default/functions/busy")).body.state, "deployed");

      assert.equal(hooks.received.length, 1);
      const [hook] = hooks.received;
      const timestamp = hook!.headers["x-runlet-timestamp"] as string;
      assert.equal(
        hook!.headers["x-runlet-signature"],
        signatureOf(put.body.webhookSecret, timestamp, hook!.text),
      );
      assert.equal(hook!.headers["x-runlet-event"], "function.idle-undeploy");
      const event = JSON.parse(hook!.text);
      assert.equal(event.function, "forgotten");
      assert.equal(event.idleDays, 31);
      assert.equal(event.holds.minInstances, 1);

      const audit = await t.call("GET", "/v1/accounts/default/audit");
      const entry = audit.body.entries.find(
        (e: { action: string; actor: string }) => e.action === "function.undeploy" && e.actor === "system",
      );
      assert.equal(entry.target, "forgotten");
      assert.equal(entry.detail.webhook, "delivered");
      assert.match(entry.detail.reason, /^idle for 31 days \(the account's policy undeploys after 30\)$/);
      // Later sweeps leave it be: it is undeployed already, and no second webhook goes out.
      await t.platform.idle.sweep();
      assert.equal(hooks.received.length, 1);
    });
  });
}
