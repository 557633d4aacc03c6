import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, settled, waitFor } from "../queue/helpers.js";
import { run, tempDir } from "./helpers.js";

describe("CLI: invoke --async, dlq list|redrive, activations --status --follow (real server)", () => {
  let t: TestPlatform;
  let env: NodeJS.ProcessEnv;
  let cwd: string;
  before(async () => {
    t = await startPlatform({ config: { queue: fastQueue() } });
    env = { RUNLET_URL: t.url, RUNLET_ACCOUNT: "default", RUNLET_KEY: t.key };
    cwd = tempDir();
    await t.deploy("greet", "export default async (e) => ({ hi: e.payload.name })");
    await t.deploy("broken", "export default async () => { throw new Error('boom') }", {
      retry: { attempts: 2, initialDelayMs: 5 },
    });
  });
  after(() => t.close());

  it("invoke --async prints the queued activation id; --json gives {activationId}", async () => {
    const human = await run(["invoke", "greet", "--async", "--data", '{"name":"Ada"}'], { cwd, env });
    assert.equal(human.code, 0, human.stderr);
    const id = /^queued activation (act_\w+)\n$/.exec(human.stdout)?.[1];
    assert.ok(id, human.stdout);
    assert.deepEqual((await settled(t, id)).result, { hi: "Ada" });

    const json = await run(["invoke", "greet", "--async", "--json", "--idempotency-key", "k-1"], {
      cwd,
      env,
    });
    assert.equal(json.code, 0, json.stderr);
    const first = JSON.parse(json.stdout).activationId as string;
    const again = await run(["invoke", "greet", "--async", "--json", "--idempotency-key", "k-1"], {
      cwd,
      env,
    });
    assert.equal(JSON.parse(again.stdout).activationId, first);
  });

  it("invoke --async with a bad --callback-url fails with the server's message", async () => {
    const res = await run(["invoke", "greet", "--async", "--callback-url", "ftp://x"], { cwd, env });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /http:\/\/ or https:\/\//);
    const sync = await run(["invoke", "greet", "--idempotency-key", "k"], { cwd, env });
    assert.notEqual(sync.code, 0);
    assert.match(sync.stderr, /go with --async/);
  });

  it("dlq list shows the dead-lettered activation; dlq redrive queues it again", async () => {
    const id = (await t.call("POST", "/v1/accounts/default/functions/broken/invoke?async=true", {})).body
      .activationId as string;
    await waitFor("the dead letter", async () => {
      const dlq = await t.call("GET", "/v1/accounts/default/dlq");
      return dlq.body.dlq.some((d: { id: string }) => d.id === id);
    });
    const list = await run(["dlq", "list"], { cwd, env });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${id}\\s+broken\\s+http\\s+2\\s+RUNLET_ERR_FUNCTION_ERROR`));
    const json = await run(["dlq", "list", "--json"], { cwd, env });
    assert.equal(JSON.parse(json.stdout).dlq[0].id, id);

    const redrive = await run(["dlq", "redrive", id], { cwd, env });
    assert.equal(redrive.code, 0, redrive.stderr);
    assert.match(redrive.stdout, new RegExp(`queued ${id} again`));
    await waitFor("dead again after its retries", async () => {
      const dlq = await t.call("GET", "/v1/accounts/default/dlq");
      return dlq.body.dlq.some((d: { id: string }) => d.id === id);
    });
    const missing = await run(["dlq", "redrive", "act_nope"], { cwd, env });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /no dead-lettered activation act_nope/);
  });

  it("activations --status filters; --follow prints activations as their status changes", async () => {
    const failed = await run(
      ["activations", "--function", "broken", "--status", "function_error", "--json"],
      {
        cwd,
        env,
      },
    );
    assert.equal(failed.code, 0, failed.stderr);
    const listed = JSON.parse(failed.stdout).activations as { status: string }[];
    assert.ok(listed.length > 0 && listed.every((a) => a.status === "function_error"));

    await t.deploy(
      "slow",
      "export default async () => { await new Promise(r => setTimeout(r, 400)); return 1 }",
    );
    const controller = new AbortController();
    const following = run(["activations", "--function", "slow", "--follow", "--interval", "50", "--json"], {
      cwd,
      env,
      extra: { signal: controller.signal },
    });
    const id = (await t.call("POST", "/v1/accounts/default/functions/slow/invoke?async=true", {})).body
      .activationId as string;
    await settled(t, id);
    await new Promise((r) => setTimeout(r, 150));
    controller.abort();
    const result = await following;
    assert.equal(result.code, 0, result.stderr);
    const statuses = result.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; status: string })
      .filter((a) => a.id === id)
      .map((a) => a.status);
    assert.equal(statuses.at(-1), "succeeded");
    assert.ok(statuses.includes("running"), `saw ${statuses.join(" → ")}`);
    assert.equal(new Set(statuses).size, statuses.length, "each status printed once");
  });
});
