import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir } from "./helpers.js";

describe("runlet budget, against a real server", () => {
  let t: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir();
  before(async () => {
    t = await startPlatform({ config: { pricing: { perGbSecond: 0, perMillionInvocations: 1_000_000 } } });
    env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: t.account, RUNLET_KEY: t.key };
    await t.deploy("hello", "export default async () => 1");
  });
  after(() => t.close());

  it("sets a function's budget, shows its spend, lists its alerts and refuses bad input by CLI command", async () => {
    const set = await run(
      ["budget", "set", "hello", "--amount", "2", "--thresholds", "50,100", "--hard-limit"],
      {
        cwd,
        env,
      },
    );
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /hello: spent 0 of 2/);
    assert.match(set.stdout, /alerts at 50 %, 100 %; refuses invocations once spent/);

    for (let i = 0; i < 2; i++) assert.equal((await t.invoke("hello")).status, 200);
    const get = await run(["budget", "get", "hello", "--json"], { cwd, env });
    assert.equal(get.code, 0, get.stderr);
    assert.deepEqual(
      (({ spent, percent, exceeded }) => ({ spent, percent, exceeded }))(JSON.parse(get.stdout)),
      { spent: 2, percent: 100, exceeded: true },
    );

    const alerts = await run(["budget", "alerts", "--function", "hello"], { cwd, env });
    assert.equal(alerts.code, 0, alerts.stderr);
    assert.match(alerts.stdout, /100 %/);
    assert.match(alerts.stdout, /50 %/);

    const refused = await run(["invoke", "hello"], { cwd, env });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /RUNLET_ERR_BUDGET_EXCEEDED|monthly budget/);
    assert.match(refused.stderr, /runlet budget set/);

    const bad = await run(["budget", "set", "--amount", "0"], { cwd, env });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /amount must be above 0/);

    const deleted = await run(["budget", "delete", "hello"], { cwd, env });
    assert.equal(deleted.code, 0, deleted.stderr);
    const none = await run(["budget", "get", "hello"], { cwd, env });
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /runlet budget set/);
  });
});
