import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { DAY_MS, movableClock } from "../idle/helpers.js";
import { run, tempDir } from "./helpers.js";

describe("runlet list --idle against a real server", () => {
  let p: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const clock = movableClock();
  const cwd = tempDir("runlet-cli-idle-");
  const cli = (...argv: string[]) => run(argv, { cwd, env });

  before(async () => {
    p = await startPlatform({ platform: { now: clock.now } });
    env = { RUNLET_URL: p.url, RUNLET_ACCOUNT: p.account, RUNLET_KEY: p.key };
    await p.deploy("old", "export default async () => 1", { minInstances: 2, memoryMb: 128 });
  });
  after(() => p.close());

  it("prints the functions not invoked in that many days, what they hold and cost, and how to free them", async () => {
    const none = await cli("list", "--idle", "30d");
    assert.equal(none.stdout, "no function has gone 30 days without an invocation\n");
    clock.advance(45 * DAY_MS);
    const res = await cli("list", "--idle", "30d");
    assert.equal(res.code, 0, res.stderr);
    const [header, row] = res.stdout.split("\n");
    assert.match(
      header!,
      /^NAME +STATE +IDLE +LAST INVOKED +WARM +SCHEDULES +SUBSCRIPTIONS +STORAGE +COST\/MONTH$/,
    );
    assert.match(row!, /^old +deployed +45d +never +2 × 128 MB +0 +0 +1 v, [\d.]+ (B|KiB) +[\d.]+$/);
    assert.match(res.stdout, /\nfree what one holds: runlet undeploy old\n$/);
    const json = JSON.parse((await cli("list", "--idle", "30", "--json")).stdout);
    assert.equal(json.functions[0].cost.warmGbSecondsPerMonth, 648_000);
  });

  it("a bad --idle is a usage error", async () => {
    const res = await cli("list", "--idle", "a month");
    assert.equal(res.code, 2);
    assert.match(res.stderr, /expected days such as 30d/);
  });
});
