import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir } from "./helpers.js";

describe("runlet secrets and runlet allowlist, against a real server", () => {
  let t: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir();
  before(async () => {
    t = await startPlatform();
    env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: t.account, RUNLET_KEY: t.key };
  });
  after(() => t.close());

  it("secrets set takes the value from an argument, an environment variable or a file, and never prints it", async () => {
    const fromArg = await run(["secrets", "set", "A_TOKEN", "arg-value"], { cwd, env });
    assert.equal(fromArg.code, 0, fromArg.stderr);
    assert.equal(fromArg.stdout, "set secret A_TOKEN\n");
    const fromEnv = await run(["secrets", "set", "B_TOKEN", "--from-env", "MY_VAR"], {
      cwd,
      env: { ...env, MY_VAR: "env-value" },
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    writeFileSync(path.join(cwd, "secret.txt"), "file-value\n");
    const fromFile = await run(["secrets", "set", "C_TOKEN", "--from-file", "secret.txt", "--json"], {
      cwd,
      env,
    });
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(JSON.parse(fromFile.stdout).name, "C_TOKEN");

    assert.equal(await t.platform.secrets.get("default", "A_TOKEN"), "arg-value");
    assert.equal(await t.platform.secrets.get("default", "B_TOKEN"), "env-value");
    assert.equal(
      await t.platform.secrets.get("default", "C_TOKEN"),
      "file-value",
      "the trailing newline is dropped",
    );
    for (const out of [fromArg, fromEnv, fromFile]) assert.ok(!/-value/.test(out.stdout + out.stderr));
  });

  it("secrets list shows names and times; delete removes one", async () => {
    const list = await run(["secrets", "list"], { cwd, env });
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^NAME\s+CREATED\s+UPDATED$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s+/)[0]),
      ["A_TOKEN", "B_TOKEN", "C_TOKEN"],
    );
    assert.ok(!list.stdout.includes("value"));
    const del = await run(["secrets", "delete", "B_TOKEN"], { cwd, env });
    assert.equal(del.code, 0, del.stderr);
    const json = JSON.parse((await run(["secrets", "list", "--json"], { cwd, env })).stdout);
    assert.deepEqual(
      json.secrets.map((s: { name: string }) => s.name),
      ["A_TOKEN", "C_TOKEN"],
    );
  });

  it("secrets errors: no value, two values, a bad name, an unknown secret", async () => {
    const none = await run(["secrets", "set", "X"], { cwd, env });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give the secret's value once/);
    const two = await run(["secrets", "set", "X", "v", "--from-env", "HOME"], { cwd, env });
    assert.equal(two.code, 2);
    const unset = await run(["secrets", "set", "X", "--from-env", "NOT_SET_ANYWHERE"], { cwd, env });
    assert.match(unset.stderr, /NOT_SET_ANYWHERE is not set/);
    const badName = await run(["secrets", "set", "bad name", "v"], { cwd, env });
    assert.notEqual(badName.code, 0);
    assert.match(badName.stderr, /RUNLET_ERR_INVALID_KEY|letters, digits, _ or -/);
    const unknown = await run(["secrets", "delete", "NOPE"], { cwd, env });
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no secret NOPE/);
  });

  it("allowlist add merges and normalises, remove drops, list prints one host per line", async () => {
    const empty = await run(["allowlist", "list"], { cwd, env });
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /the allowlist is empty/);
    const added = await run(["allowlist", "add", "API.example.com", "*.example.org"], { cwd, env });
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, "api.example.com\n*.example.org\n");
    await run(["allowlist", "add", "api.example.com", "hooks.example.net"], { cwd, env });
    const removed = await run(["allowlist", "remove", "*.example.org", "never.example.com"], { cwd, env });
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, "api.example.com\nhooks.example.net\n");
    assert.match(removed.stderr, /not on the allowlist: never\.example\.com/);
    const json = JSON.parse((await run(["allowlist", "list", "--json"], { cwd, env })).stdout);
    assert.deepEqual(json.domains, ["api.example.com", "hooks.example.net"]);
    assert.deepEqual((await t.call("GET", "/v1/accounts/default/allowlist")).body.domains, json.domains);
  });

  it("allowlist add refuses a bad entry with the server's reason and changes nothing", async () => {
    const bad = await run(["allowlist", "add", "http://x.example.com"], { cwd, env });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /host name only/);
    const json = JSON.parse((await run(["allowlist", "list", "--json"], { cwd, env })).stdout);
    assert.deepEqual(json.domains, ["api.example.com", "hooks.example.net"]);
  });
});
