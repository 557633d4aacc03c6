import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir } from "./helpers.js";

describe("runlet faults set|get|list|delete and runlet invoke --faults, against a real server", () => {
  let t: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir();
  before(async () => {
    t = await startPlatform();
    env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: t.account, RUNLET_KEY: t.key };
    await t.deploy(
      "reader",
      `export default async (_e, ctx) => { try { return await ctx.kv.get("k") ?? "none"; } catch (err) { return err.code; } }`,
    );
  });
  after(() => t.close());

  it("set stores the rules, get and list show them, invoke --faults applies them, delete removes the profile", async () => {
    const set = await run(["faults", "set", "kv-down", "--rule", '{"target":"kv","kind":"unavailable"}'], {
      cwd,
      env,
    });
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /kv-down[\s\S]*kv {2}unavailable/);
    assert.match(set.stderr, /runlet invoke <function> --faults kv-down/);

    const list = JSON.parse((await run(["faults", "list", "--json"], { cwd, env })).stdout);
    assert.deepEqual(
      list.map((p: { name: string }) => p.name),
      ["kv-down"],
    );
    const get = await run(["faults", "get", "kv-down"], { cwd, env });
    assert.match(get.stdout, /kv {2}unavailable/);

    const faulted = await run(["invoke", "reader", "--faults", "kv-down"], { cwd, env });
    assert.equal(faulted.code, 0, faulted.stderr);
    assert.equal(faulted.stdout.trim(), "RUNLET_ERR_UNAVAILABLE");
    const clean = await run(["invoke", "reader"], { cwd, env });
    assert.equal(clean.stdout.trim(), "none");

    const del = await run(["faults", "delete", "kv-down"], { cwd, env });
    assert.equal(del.code, 0, del.stderr);
    const gone = await run(["invoke", "reader", "--faults", "kv-down"], { cwd, env });
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /RUNLET_ERR_FAULT_PROFILE_NOT_FOUND|runlet faults set/);
  });

  it("a rule with an unknown target fails with the server's list of valid targets", async () => {
    const bad = await run(["faults", "set", "p", "--rule", '{"target":"disk","kind":"full"}'], { cwd, env });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unknown target "disk"; valid targets are "fetch:<host>"/);
    const none = await run(["faults", "set", "p"], { cwd, env });
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /runlet faults set api-down --rule/);
  });
});
