import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { eventually } from "../rollouts/helpers.js";
import { run, tempDir, writeFiles } from "./helpers.js";

const version = (n: number) => `export default async () => ({ version: ${n} });\n`;

describe("runlet deploy --percent, promote and rollback against a real server", () => {
  let p: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir("runlet-cli-canary-");
  const cli = (...argv: string[]) => run(argv, { cwd, env });
  const write = (n: number) =>
    writeFiles(cwd, { "app/index.ts": version(n), "app/runlet.json": `{"name":"app"}` });
  const split = async () => {
    const seen: Record<number, number> = {};
    for (let i = 0; i < 200; i++) {
      const res = await p.invoke("app", {}, { headers: { "x-runlet-route-key": `c${i}` } });
      const v = (res.body as { version: number }).version;
      seen[v] = (seen[v] ?? 0) + 1;
    }
    return seen;
  };

  before(async () => {
    p = await startPlatform();
    env = { RUNLET_URL: p.url, RUNLET_ACCOUNT: p.account, RUNLET_KEY: p.key };
    write(1);
    assert.equal((await cli("deploy", "app")).code, 0);
  });
  after(() => p.close());

  it("deploy --percent uploads the folder as a canary beside the deployed version", async () => {
    write(2);
    const res = await cli("deploy", "app", "--percent", "25", "--max-error-rate", "5%", "--window", "30m");
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      /^app version 2 runs as a canary for 25% of invocations; version 1 takes the rest\n/,
    );
    assert.match(res.stdout, /rolls back by itself above 5% more errors than version 1/);
    assert.match(res.stdout, /runlet promote app/);
    const seen = await split();
    assert.ok(seen[1]! > 0 && seen[2]! > 0, JSON.stringify(seen));
    const get = await eventually(async () => {
      const out = await cli("get", "app");
      return /^split {5}v2 {2}\d+ \(\d+ succeeded\)\n {10}v1 {2}\d+/m.test(out.stdout) && out;
    });
    assert.match(
      get.stdout,
      /^canary {4}version 2 for 25% of invocations since .*, rolls back by itself above 5% more errors than version 1$/m,
    );
    assert.match(get.stdout, /^versions {2}2 \(canary\), 1 \(deployed\)$/m);
  });

  it("rollback ends the canary; deploy --version --percent starts it again; promote makes it the deployed one", async () => {
    const back = await cli("rollback", "app");
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, "app: canary version 2 rolled back; version 1 takes every invocation\n");
    assert.deepEqual(await split(), { 1: 200 });
    const again = await cli("deploy", "app", "--version", "2", "--percent", "10", "--json");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).canary.percent, 10);
    const promoted = await cli("promote", "app");
    assert.equal(promoted.stdout, "app now runs version 2 for every invocation\n");
    assert.deepEqual(await split(), { 2: 200 });
  });

  it("a bad percent is a usage error, and promote without a canary names how to start one", async () => {
    const bad = await cli("deploy", "app", "--percent", "150");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected a percent from 0 to 100, e\.g\. --percent 10/);
    const none = await cli("promote", "app");
    assert.equal(none.code, 1);
    assert.match(none.stderr, /app has no canary; .*runlet deploy app --percent 10/);
  });
});
