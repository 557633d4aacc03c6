import assert from "node:assert/strict";
import { cpSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir, writeFiles } from "./helpers.js";

/** A project as the hosted CLI (`lpf init`, `lpf create:function`) lays it out, from its own template. */
const template = path.join(
  path.dirname(createRequire(import.meta.url).resolve("liveperson-functions-cli/package.json")),
  "bin/example/functions",
);

describe("runlet import, pull and metrics against a real server", () => {
  let t: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir();
  before(async () => {
    t = await startPlatform();
    env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: t.account, RUNLET_KEY: t.key };
    cpSync(template, path.join(cwd, "functions"), { recursive: true });
    cpSync(path.join(cwd, "functions/exampleFunction"), path.join(cwd, "functions/Greeting_Bot"), {
      recursive: true,
    });
    writeFiles(cwd, {
      "functions/Greeting_Bot/index.js": `const { Toolbelt } = require("lp-faas-toolbelt");
        async function lambda(input, callback) {
          const { value } = await Toolbelt.SecretClient().readSecret("crm-token");
          callback(null, [{ type: "systemMessage", text: "hi " + input.payload.name + " " + value.length }]);
        }`,
      "functions/Greeting_Bot/config.json": JSON.stringify({
        name: "Greeting_Bot",
        event: "controllerbot_messaging_new_conversation",
        description: "greets",
        input: { headers: [], payload: {} },
        environmentVariables: [{ key: "GREETING", value: "hi" }],
      }),
      "functions/settings.json": JSON.stringify({
        secrets: [
          { key: "crm-token", value: "abc123" },
          { key: "", value: "" },
        ],
        whitelist: ["*.liveperson.com", "api.example.com"],
      }),
    });
  });
  after(() => t.close());

  it("import makes a Runlet function with the project's env, event, secrets and whitelist", async () => {
    const res = await run(["import", "functions/Greeting_Bot", "--json"], { cwd, env });
    assert.equal(res.code, 0, res.stderr);
    const summary = JSON.parse(res.stdout);
    assert.equal(summary.name, "greeting-bot");
    assert.equal(summary.state, "deployed");
    const fn = (await t.call("GET", "/v1/accounts/default/functions/greeting-bot")).body;
    assert.deepEqual(fn.config.env, { GREETING: "hi" });
    assert.deepEqual(fn.config.events, ["controllerbot_messaging_new_conversation"]);
    assert.equal(await t.platform.secrets.get("default", "crm-token"), "abc123");
    const allowlist = (await t.call("GET", "/v1/accounts/default/allowlist")).body.domains;
    assert.deepEqual([...allowlist].sort(), ["*.liveperson.com", "api.example.com"]);
    const answer = await t.call(
      "POST",
      "/api/account/default/events/controllerbot_messaging_new_conversation/invoke?v=1",
      {
        headers: [],
        payload: { name: "Ada" },
      },
    );
    assert.deepEqual(answer.body, [{ type: "systemMessage", text: "hi Ada 6" }]);
  });

  it("imports the template unchanged (no event: external invocation only) and pulls it back", async () => {
    const res = await run(["import", "functions/exampleFunction", "--name", "example"], { cwd, env });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /event: none \(external invocation only\)/);
    const pulled = await run(["pull", "example", "out"], { cwd, env });
    assert.equal(pulled.code, 0, pulled.stderr);
    const config = JSON.parse(readFileSync(path.join(cwd, "out/example/config.json"), "utf8"));
    assert.equal(config.event, "No Event");
    const again = await run(["pull", "example", "out"], { cwd, env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already has index\.js.*\n.*--force/s);
    // What was pulled deploys again as it is.
    const redeploy = await run(["deploy", "out/example", "--json"], { cwd, env });
    assert.equal(redeploy.code, 0, redeploy.stderr);
    const out = await t.call("POST", "/api/account/default/lambdas/example/invoke?v=1", {
      headers: [],
      payload: {},
    });
    assert.equal(out.body, "Hello World");
  });

  it("a project whose name cannot become a Runlet name is refused, saying to pass --name", async () => {
    writeFiles(cwd, {
      "functions/42/index.js": "function lambda(i, cb) { cb(null, 1); }",
      "functions/42/config.json": JSON.stringify({ name: "42", event: null, environmentVariables: [] }),
    });
    const res = await run(["import", "functions/42"], { cwd, env });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /"42" cannot be made a Runlet function name/);
    assert.match(res.stderr, /--name/);
  });

  it("metrics counts invocations by outcome over time, as a table, CSV or JSON", async () => {
    await t.deploy(
      "flaky",
      "function lambda(input, cb) { input.payload.ok ? cb(null, 1) : cb(new Error('no')); }",
    );
    for (const ok of [true, true, false]) await t.invoke("flaky", ok ? { ok } : {});
    await t.platform.activations.flush();
    const json = await run(["metrics", "flaky", "--last", "1h", "--buckets", "4", "--json"], { cwd, env });
    assert.equal(json.code, 0, json.stderr);
    const body = JSON.parse(json.stdout);
    assert.equal(body.buckets.length, 4);
    assert.deepEqual(body.total, {
      succeeded: 2,
      codeFailure: 1,
      platformFailure: 0,
      timeout: 0,
      rejected: 0,
    });
    assert.deepEqual(body.buckets.at(-1).succeeded, 2, "the last 15 minutes hold them");
    const csv = await run(["metrics", "flaky", "--last", "1h", "--buckets", "4", "--csv"], { cwd, env });
    const lines = csv.stdout.trim().split("\n");
    assert.equal(lines[0], "start,succeeded,code_failure,platform_failure,timeout,rejected");
    assert.match(lines[4]!, /,2,1,0,0,0$/);
    const table = await run(["metrics", "flaky", "--last", "1h"], { cwd, env });
    assert.match(table.stdout, /total\s+2\s+1\s+0\s+0\s+0/);
    const bad = await run(["metrics", "flaky", "--last", "a week"], { cwd, env });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /use e\.g\. 1h, 24h, 7d or 30d/);
  });
});
