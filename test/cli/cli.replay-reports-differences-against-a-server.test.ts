import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir } from "./helpers.js";

describe("runlet replay <activation> --version N and runlet replay <function> --last N --version N", () => {
  let t: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir();
  const ids: string[] = [];
  before(async () => {
    t = await startPlatform();
    env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: t.account, RUNLET_KEY: t.key };
    const source = (currency: string) =>
      `export default async ({ payload }, ctx) => ({ n: payload.n, currency: "${currency}", seen: (await ctx.kv.get("seen")) ?? 0 })`;
    await t.deploy("price", source("EUR"), { record: { sample: 1, days: 1 } });
    for (let n = 1; n <= 3; n++)
      ids.push((await t.invoke("price", { n })).headers.get("x-runlet-activation-id")!);
    await t.call("PUT", "/v1/accounts/default/functions/price", { source: source("USD") });
    await t.platform.recordings.flush();
  });
  after(() => t.close());

  it("one activation prints its verdict and the changed path", async () => {
    const res = await run(["replay", ids[0]!, "--version", "2"], { cwd, env });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, `${ids[0]}  different result\n  $.result.currency: "EUR" → "USD"\n`);
  });

  it("--last prints what differs and a summary; --json gives the reports", async () => {
    const res = await run(["replay", "price", "--last", "100", "--version", "2"], { cwd, env });
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      /3 replayed against version 2: 0 same, 3 different result, 0 different calls\n$/,
    );
    const json = JSON.parse(
      (await run(["replay", "price", "--last", "2", "--version", "1", "--json"], { cwd, env })).stdout,
    );
    assert.deepEqual(json.summary, { replayed: 2, same: 2, differentResult: 0, differentCalls: 0 });
  });

  it("an activation that was not recorded fails with the server's advice; a function name without --last is a usage error", async () => {
    await t.deploy("plain", "export default async () => 1");
    const id = (await t.invoke("plain")).headers.get("x-runlet-activation-id")!;
    await t.platform.activations.flush();
    const res = await run(["replay", id, "--version", "1"], { cwd, env });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /was not recorded.*enable record in plain's config/);
    const usage = await run(["replay", "price", "--version", "2"], { cwd, env });
    assert.notEqual(usage.code, 0);
    assert.match(usage.stderr, /runlet replay price --last 100 --version 2/);
  });
});
