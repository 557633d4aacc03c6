import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config.js";
import { upcomingFirings } from "../../src/triggers/cron.js";
import { run, tempDir } from "../cli/helpers.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { TICK_SOURCE } from "./helpers.js";

describe("schedule and subject config", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
  });
  after(() => t.close());

  const put = (config: Record<string, unknown>) =>
    t.call("PUT", "/v1/accounts/default/functions/bad?deploy=true", { source: TICK_SOURCE, ...config });

  for (const [what, config, code, message] of [
    ["four fields", { schedules: [{ cron: "* * * *" }] }, "RUNLET_ERR_INVALID_CRON", /schedules\[0\]\.cron/],
    ["an out-of-range minute", { schedules: [{ cron: "61 * * * *" }] }, "RUNLET_ERR_INVALID_CRON", /minute/],
    ["seven fields", { schedules: [{ cron: "0 0 0 1 1 * 2030" }] }, "RUNLET_ERR_INVALID_CRON", /5 fields/],
    ["words", { schedules: [{ cron: "every day" }] }, "RUNLET_ERR_INVALID_CRON", /not a valid cron/],
    [
      "a date that never comes",
      { schedules: [{ cron: "0 0 30 2 *" }] },
      "RUNLET_ERR_INVALID_CRON",
      /never fires/,
    ],
    [
      "the same schedule twice",
      { schedules: [{ cron: "0 * * * *" }, { cron: "0 * * * *" }] },
      "RUNLET_ERR_INVALID_CRON",
      /schedules\[1\] repeats schedules\[0\]/,
    ],
    [
      "an unknown timezone",
      { schedules: [{ cron: "0 9 * * *", timezone: "Mars/Olympus" }] },
      "RUNLET_ERR_INVALID_TIMEZONE",
      /Mars\/Olympus.*IANA/,
    ],
    ["a $ subject", { queues: [{ subject: "$JS.API.>" }] }, "RUNLET_ERR_INVALID_SUBJECT", /reserved/],
    ["a reply inbox", { queues: [{ subject: "_INBOX.x" }] }, "RUNLET_ERR_INVALID_SUBJECT", /reserved/],
    ["an empty token", { queues: [{ subject: "orders..new" }] }, "RUNLET_ERR_INVALID_SUBJECT", /token/],
    ["a > not last", { queues: [{ subject: "orders.>.new" }] }, "RUNLET_ERR_INVALID_SUBJECT", /token ">"/],
    ["whitespace", { queues: [{ subject: "orders new" }] }, "RUNLET_ERR_INVALID_SUBJECT", /token/],
  ] as const) {
    it(`refuses ${what} at deploy with 400 ${code}`, async () => {
      const res = await put(config);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, code);
      assert.match(res.body.error.message, message);
      assert.equal((await t.call("GET", "/v1/accounts/default/functions/bad")).status, 404, "nothing stored");
    });
  }

  it("refuses a schedule that is not an object with a cron (schema)", async () => {
    const res = await put({ schedules: [{ every: "5m" }] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "RUNLET_ERR_BAD_REQUEST");
  });

  it("a 5-field cron is the 6-field one at second 0, in UTC unless a timezone is named", () => {
    const from = new Date("2025-03-10T08:59:30Z");
    const five = upcomingFirings([{ cron: "0 9 * * 1-5" }], 3, from)[0]!;
    const six = upcomingFirings([{ cron: "0 0 9 * * 1-5" }], 3, from)[0]!;
    assert.deepEqual(five.next, six.next);
    assert.deepEqual(five.next, [
      "2025-03-10T09:00:00.000Z",
      "2025-03-11T09:00:00.000Z",
      "2025-03-12T09:00:00.000Z",
    ]);
    const berlin = upcomingFirings([{ cron: "0 9 * * *", timezone: "Europe/Berlin" }], 1, from)[0]!;
    assert.deepEqual(berlin.next, ["2025-03-11T08:00:00.000Z"], "09:00 in Berlin (CET) is 08:00 UTC");
  });

  it("RUNLET_NATS_URL must be a nats:// URL; schedule settings are validated", () => {
    assert.equal(loadConfig({}).natsUrl, undefined);
    assert.equal(loadConfig({ RUNLET_NATS_URL: "nats://127.0.0.1:4222" }).natsUrl, "nats://127.0.0.1:4222");
    assert.throws(() => loadConfig({ RUNLET_NATS_URL: "http://x" }), /RUNLET_NATS_URL=http:\/\/x is invalid/);
    assert.equal(loadConfig({ RUNLET_SCHEDULE_CATCH_UP: "false" }).triggers.catchUp, false);
    assert.throws(() => loadConfig({ RUNLET_SCHEDULE_CATCH_UP: "maybe" }), /RUNLET_SCHEDULE_CATCH_UP/);
    assert.throws(() => loadConfig({ RUNLET_TRIGGER_SYNC_MS: "0" }), /RUNLET_TRIGGER_SYNC_MS/);
  });

  it("GET and runlet get show subscriptions, the next firings and the last one", async () => {
    await t.deploy("listener", TICK_SOURCE, {
      events: ["order.created"],
      queues: [{ subject: "orders.new" }],
      schedules: [{ cron: "0 9 * * *", timezone: "Europe/Berlin" }],
    });
    const got = await t.call("GET", "/v1/accounts/default/functions/listener");
    assert.deepEqual(got.body.subscriptions, { events: ["order.created"], queues: ["orders.new"] });
    const [schedule] = got.body.schedules;
    assert.equal(schedule.cron, "0 9 * * *");
    assert.equal(schedule.timezone, "Europe/Berlin");
    assert.equal(schedule.lastFiredAt, null);
    assert.equal(schedule.next.length, 5);
    const expected = upcomingFirings([{ cron: "0 9 * * *", timezone: "Europe/Berlin" }], 5)[0]!.next;
    assert.deepEqual(schedule.next, expected);

    const env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: t.account, RUNLET_KEY: t.key };
    const cli = await run(["get", "listener"], { cwd: tempDir(), env });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /\nlistens +events order\.created; subjects orders\.new\n/);
    assert.match(
      cli.stdout,
      /\nschedule +0 9 \* \* \* Europe\/Berlin {2}next \d{4}-\d\d-\d\d \d\d:\d\d:00, /,
    );

    assert.equal((await t.call("POST", "/v1/accounts/default/functions/listener/undeploy")).status, 200);
    const undeployed = await t.call("GET", "/v1/accounts/default/functions/listener");
    assert.deepEqual(undeployed.body.schedules[0].next, [], "an undeployed function has no coming firings");
    const cli2 = await run(["get", "listener"], { cwd: tempDir(), env });
    assert.match(cli2.stdout, /Europe\/Berlin {2}not deployed/);

    // The timers follow the lifecycle: undeployed above, then deployed again, then deleted.
    const armed = () => t.platform.triggers.schedules.armed().some((a) => a.function === "listener");
    await t.platform.triggers.settled();
    assert.equal(armed(), false, "undeploy disarms");
    assert.equal((await t.call("POST", "/v1/accounts/default/functions/listener/deploy")).status, 200);
    await t.platform.triggers.settled();
    assert.equal(armed(), true, "deploy arms");
    assert.equal((await t.call("DELETE", "/v1/accounts/default/functions/listener")).status, 204);
    await t.platform.triggers.settled();
    assert.equal(armed(), false, "delete disarms");
  });
});
