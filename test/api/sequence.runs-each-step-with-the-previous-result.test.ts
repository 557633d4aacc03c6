import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("sequences: a function made of other functions runs them in order and lists its steps", () => {
  let t: TestPlatform;
  const put = (name: string, body: Record<string, unknown>) =>
    t.call("PUT", `/v1/accounts/${t.account}/functions/${name}?deploy=true`, body);
  const activation = async (id: string) => {
    await t.platform.activations.flush();
    return (await t.call("GET", `/v1/accounts/${t.account}/activations/${id}`)).body;
  };

  before(async () => {
    t = await startPlatform({ limits: { maxInvokeDepth: 4 } });
    await t.deploy("add-one", `export default async (event) => ({ n: event.payload.n + 1 })`);
    await t.deploy("times-ten", `export default async (event) => ({ n: event.payload.n * 10 })`);
    await t.deploy("minus-three", `export default async (event) => ({ n: event.payload.n - 3 })`);
    await t.deploy("thrower", `export default async () => { throw new Error("step broke") }`);
  });
  after(() => t.close());

  it("is uploaded as {sequence} without code, versioned and deployed like any function", async () => {
    const res = await put("calc", { sequence: ["add-one", "times-ten", "minus-three"] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.style, "sequence");
    assert.equal(res.body.state, "deployed");
    const again = await put("calc", { sequence: ["add-one", "times-ten", "minus-three"] });
    assert.equal(again.body.created, false, "an identical upload creates no new version");
    const fn = await t.call("GET", `/v1/accounts/${t.account}/functions/calc`);
    assert.deepEqual(fn.body.config.sequence, ["add-one", "times-ten", "minus-three"]);
  });

  it("runs each step with the previous step's result; the activation lists the steps", async () => {
    const res = await t.invoke("calc", { n: 1 });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { n: 17 });
    const record = await activation(res.headers.get("x-runlet-activation-id")!);
    assert.equal(record.status, "succeeded");
    assert.equal(record.billedMs, 0, "the steps are billed, not the sequence");
    assert.deepEqual(
      record.steps.map((s: { function: string; status: string }) => [s.function, s.status]),
      [
        ["add-one", "succeeded"],
        ["times-ten", "succeeded"],
        ["minus-three", "succeeded"],
      ],
    );
    const traces = new Set<string>();
    for (const step of record.steps) {
      assert.equal(typeof step.durationMs, "number");
      const child = await activation(step.activationId);
      assert.equal(child.function, step.function);
      assert.equal(child.parentId, record.id);
      assert.equal(child.trigger, "function");
      traces.add(child.traceparent.split("-")[1]);
    }
    assert.equal(traces.size, 1, "all steps are in one trace");
    assert.deepEqual((await activation(record.steps[1].activationId)).result, { n: 20 });
  });

  it("a failing step ends the sequence with that step's status and code", async () => {
    assert.equal((await put("breaks", { sequence: ["add-one", "thrower", "minus-three"] })).status, 201);
    const res = await t.invoke("breaks", { n: 1 });
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /step 2 of 3 \(thrower\).*step broke/);
    const record = await activation(res.body.error.activationId);
    assert.equal(record.status, "function_error");
    assert.deepEqual(
      record.steps.map((s: { function: string; status: string }) => [s.function, s.status]),
      [
        ["add-one", "succeeded"],
        ["thrower", "function_error"],
      ],
    );
  });

  it("a sequence may be a step of another sequence", async () => {
    assert.equal((await put("outer", { sequence: ["calc", "add-one"] })).status, 201);
    const res = await t.invoke("outer", { n: 1 });
    assert.deepEqual(res.body, { n: 18 });
  });

  it("is rejected at deploy when it names itself or a missing function", async () => {
    const self = await put("loop", { sequence: ["add-one", "loop"] });
    assert.equal(self.status, 400, self.text);
    assert.equal(self.body.error.code, "RUNLET_ERR_INVALID_SEQUENCE");
    assert.match(self.body.error.message, /names itself/);
    const missing = await put("holes", { sequence: ["add-one", "nope", "also-nope"] });
    assert.equal(missing.status, 400, missing.text);
    assert.equal(missing.body.error.code, "RUNLET_ERR_INVALID_SEQUENCE");
    assert.match(missing.body.error.message, /nope, also-nope/);
    const empty = await put("empty", { sequence: [] });
    assert.equal(empty.body.error.code, "RUNLET_ERR_INVALID_SEQUENCE");
    const withCode = await put("both", { sequence: ["add-one"], source: "export default async () => 1" });
    assert.equal(withCode.status, 400);
    assert.match(withCode.body.error.message, /no code of its own/);
  });

  it("a step deleted after upload blocks the deploy", async () => {
    await t.deploy("temp", `export default async (e) => e.payload`);
    const draft = await t.call("PUT", `/v1/accounts/${t.account}/functions/later`, { sequence: ["temp"] });
    assert.equal(draft.status, 201, draft.text);
    assert.equal((await t.call("DELETE", `/v1/accounts/${t.account}/functions/temp`)).status, 204);
    const deploy = await t.call("POST", `/v1/accounts/${t.account}/functions/later/deploy`);
    assert.equal(deploy.status, 400, deploy.text);
    assert.equal(deploy.body.error.code, "RUNLET_ERR_INVALID_SEQUENCE");
  });

  it("a loop through two sequences stops at the depth limit", async () => {
    assert.equal((await put("ping", { sequence: ["add-one"] })).status, 201);
    assert.equal((await put("pong", { sequence: ["ping"] })).status, 201);
    assert.equal((await put("ping", { sequence: ["pong"] })).status, 201);
    const res = await t.invoke("ping", { n: 0 });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_INVOKE_DEPTH");
  });
});
