import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir } from "./helpers.js";

describe("runlet keys and runlet login, against a real server", () => {
  let t: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir();
  before(async () => {
    t = await startPlatform();
    env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: t.account, RUNLET_KEY: t.key };
  });
  after(() => t.close());

  it("keys create prints the key once; list shows it without the key; revoke ends it", async () => {
    const created = await run(["keys", "create", "ci", "--role", "developer", "--json"], { cwd, env });
    assert.equal(created.code, 0, created.stderr);
    const key = JSON.parse(created.stdout) as { id: string; key: string; role: string };
    assert.equal(key.role, "developer");
    assert.match(key.key, /^rlk_/);
    const human = await run(["keys", "create", "ops"], { cwd, env });
    assert.match(human.stdout, /^created invoker key key_\S+ \(ops\):\nrlk_\S+\n$/);
    assert.match(human.stderr, /not shown again/);

    const list = await run(["keys", "list"], { cwd, env });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${key.id}\\s+ci\\s+developer`));
    assert.ok(!list.stdout.includes(key.key), "the key itself is never listed");

    const listed = await run(["list"], { cwd, env: { ...env, RUNLET_KEY: key.key } });
    assert.equal(listed.code, 0, listed.stderr);

    const revoked = await run(["keys", "revoke", key.id], { cwd, env });
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `revoked ${key.id}\n`);
    const after = await run(["list"], { cwd, env: { ...env, RUNLET_KEY: key.key } });
    assert.notEqual(after.code, 0);
    assert.match(after.stderr, /revoked/);
    const all = await run(["keys", "list", "--all", "--json"], { cwd, env });
    const entry = (JSON.parse(all.stdout) as { keys: { id: string; revokedAt: string | null }[] }).keys.find(
      (k) => k.id === key.id,
    );
    assert.ok(entry?.revokedAt);
    const again = await run(["keys", "revoke", key.id], { cwd, env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /RUNLET_ERR_KEY_NOT_FOUND|no live key/);
  });

  it("keys needs an admin key and a valid role", async () => {
    const invoker = (await t.call("POST", "/v1/accounts/default/keys", { name: "inv", role: "invoker" })).body
      .key;
    const denied = await run(["keys", "list"], { cwd, env: { ...env, RUNLET_KEY: invoker } });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /admin/);
    const bad = await run(["keys", "create", "x", "--role", "root"], { cwd, env });
    assert.equal(bad.code, 2);
  });

  it("login checks the key and writes .runlet/credentials.json (0600) that later commands use", async () => {
    const dir = tempDir();
    const bad = await run(["login", "--url", t.url, "--key", "rlk_wrong"], { cwd: dir, env: {} });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unknown or revoked/);

    const ok = await run(["login", "--url", t.url, "--key-from-env", "MY_KEY"], {
      cwd: dir,
      env: { MY_KEY: t.key },
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /logged in to http:\/\/127\.0\.0\.1:\d+ as key_\S+ \(admin of default\)/);
    const file = path.join(dir, ".runlet", "credentials.json");
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { url: t.url, account: "default", key: t.key });
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const list = await run(["keys", "list", "--json"], { cwd: path.join(dir), env: {} });
    assert.equal(list.code, 0, list.stderr);

    const both = await run(["login", "--key", "a", "--key-from-env", "B"], { cwd: dir, env: {} });
    assert.equal(both.code, 2);
  });
});
