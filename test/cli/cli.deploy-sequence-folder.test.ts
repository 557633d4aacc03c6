import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir, writeFiles } from "./helpers.js";

describe("runlet deploy of a sequence folder and runlet events publish, against a real server", () => {
  let t: TestPlatform;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    t = await startPlatform();
    env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: t.account, RUNLET_KEY: t.key };
    await t.deploy("double", `export default async (event) => ({ n: event.payload.n * 2 })`);
    await t.deploy("inc", `export default async (event) => ({ n: event.payload.n + 1 })`);
  });
  after(() => t.close());

  it("a folder whose runlet.json has a sequence deploys without code and runs its steps", async () => {
    const cwd = tempDir();
    writeFiles(cwd, { "calc/runlet.json": JSON.stringify({ name: "calc", sequence: ["double", "inc"] }) });
    const deployed = await run(["deploy", "calc"], { cwd, env });
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /^deployed calc version 1 \(sequence style\)/);
    const invoked = await run(["invoke", "calc", "--data", '{"n":20}', "--json"], { cwd, env });
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.deepEqual(JSON.parse(invoked.stdout).result, { n: 41 });
  });

  it("events publish --sync prints each subscriber's answer", async () => {
    await t.deploy("on-paid", `export default async (event) => ({ paid: event.payload.amount })`, {
      events: ["invoice.paid"],
    });
    const published = await run(["events", "publish", "invoice.paid", "--data", '{"amount":12}', "--sync"], {
      cwd: tempDir(),
      env,
    });
    assert.equal(published.code, 0, published.stderr);
    assert.match(
      published.stdout,
      /^FUNCTION +STATUS +RESULT +ACTIVATION\non-paid +succeeded +\{"paid":12\} +act_/,
    );
  });
});
