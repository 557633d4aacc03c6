import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, invokeAsync, settled, waitFor } from "../queue/helpers.js";

describe("async invoke", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform({ config: { queue: fastQueue() } });
    await t.deploy("echo", "export default async (event) => ({ got: event.payload })");
  });
  after(() => t.close());

  it("answers 202 with the activation id, which ends succeeded with the result", async () => {
    const res = await invokeAsync(t, "echo", { n: 1 });
    assert.equal(res.status, 202, res.text);
    const id = res.body.activationId as string;
    assert.match(id, /^act_/);
    assert.equal(res.headers.get("x-runlet-activation-id"), id);
    const activation = await settled(t, id);
    assert.equal(activation.status, "succeeded");
    assert.deepEqual(activation.result, { got: { n: 1 } });
    assert.equal(activation.attempts, 1);
    assert.equal(activation.trigger, "http");
  });

  it("takes Prefer: respond-async too", async () => {
    const res = await t.call("POST", "/v1/accounts/default/functions/echo/invoke", [1, 2], {
      headers: { prefer: "respond-async" },
    });
    assert.equal(res.status, 202, res.text);
    assert.deepEqual((await settled(t, res.body.activationId)).result, { got: [1, 2] });
  });

  it("shows the activation queued before it runs", async () => {
    await t.deploy(
      "slow",
      "export default async () => { await new Promise(r => setTimeout(r, 300)); return 1 }",
      {
        maxInstances: 1,
      },
    );
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await invokeAsync(t, "slow", {})).body.activationId as string);
    const last = await t.call("GET", `/v1/accounts/default/activations/${ids[2]}`);
    assert.equal(last.status, 200);
    assert.ok(["queued", "running"].includes(last.body.status), last.body.status);
    for (const id of ids) assert.equal((await settled(t, id)).status, "succeeded");
  });

  it("retries a failing function with backoff until it succeeds, counting attempts", async () => {
    await t.deploy(
      "flaky",
      "let runs = 0; export default async () => { runs++; if (runs < 3) throw new Error('run ' + runs); return { runs } }",
      { maxInstances: 1, retry: { attempts: 3, initialDelayMs: 10 } },
    );
    const res = await invokeAsync(t, "flaky", {});
    const activation = await settled(t, res.body.activationId);
    assert.equal(activation.status, "succeeded");
    assert.deepEqual(activation.result, { runs: 3 });
    assert.equal(activation.attempts, 3);
  });

  it("dead-letters after the last attempt; redrive runs it again under the same id", async () => {
    await t.deploy("broken", "export default async () => { throw new Error('always') }", {
      retry: { attempts: 2, backoff: "exponential", initialDelayMs: 10 },
    });
    const id = (await invokeAsync(t, "broken", { x: 1 })).body.activationId as string;
    const activation = await settled(t, id);
    assert.equal(activation.status, "function_error");
    assert.equal(activation.attempts, 2);
    const listed = await waitFor("the dead letter", async () => {
      const dlq = await t.call("GET", "/v1/accounts/default/dlq");
      return dlq.body.dlq.find((d: { id: string }) => d.id === id);
    });
    assert.equal(listed.function, "broken");
    assert.equal(listed.attempts, 2);
    assert.equal(listed.error.code, "RUNLET_ERR_FUNCTION_ERROR");

    await t.deploy("broken", "export default async (e) => ({ fixed: e.payload })", {
      retry: { attempts: 2, initialDelayMs: 10 },
    });
    const redrive = await t.call("POST", `/v1/accounts/default/dlq/${id}/redrive`);
    assert.equal(redrive.status, 202, redrive.text);
    const again = await settled(t, id);
    assert.equal(again.status, "succeeded");
    assert.deepEqual(again.result, { fixed: { x: 1 } });
    const dlq = await t.call("GET", "/v1/accounts/default/dlq");
    assert.ok(!dlq.body.dlq.some((d: { id: string }) => d.id === id), "no longer dead");
    const twice = await t.call("POST", `/v1/accounts/default/dlq/${id}/redrive`);
    assert.equal(twice.status, 404);
    assert.equal(twice.body.error.code, "RUNLET_ERR_ACTIVATION_NOT_FOUND");
  });

  it("does not retry a function that fails when the retry config says one attempt", async () => {
    await t.deploy("once", "export default async () => { throw new Error('no') }", {
      retry: { attempts: 1 },
    });
    const id = (await invokeAsync(t, "once", {})).body.activationId as string;
    const activation = await settled(t, id);
    assert.equal(activation.attempts, 1);
    assert.equal(activation.status, "function_error");
  });
});
