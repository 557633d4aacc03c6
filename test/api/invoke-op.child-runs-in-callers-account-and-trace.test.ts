import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Caller } from "../../src/runtime/host-ops.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe("ctx.invoke: another function of the caller's account, one hop deeper, in the caller's trace", () => {
  let t: TestPlatform;

  before(async () => {
    t = await startPlatform({ limits: { maxInvokeDepth: 3 } });
    await t.deploy("child", `export default async (event) => ({ got: event.payload, type: event.type })`);
    await t.deploy(
      "parent",
      `export default async (event, ctx) => ({ child: await ctx.invoke("child", { n: event.payload.n }), me: ctx.activationId })`,
    );
    await t.deploy("mid", `export default async (event, ctx) => ctx.invoke("leaf", null)`);
    await t.deploy("leaf", `export default async () => "leaf"`);
    await t.deploy("thrower", `export default async () => { throw new Error("child broke") }`);
    await t.deploy(
      "catcher",
      `export default async (event, ctx) => {
         try { await ctx.invoke(event.payload.target, {}, event.payload.options); return "no error"; }
         catch (err) { return { code: err.code, activationId: err.activationId, message: err.message }; }
       }`,
    );
    await t.deploy(
      "rec",
      `export default async (event, ctx) => {
         const d = event.payload.d;
         try { return { d, next: await ctx.invoke("rec", { d: d + 1 }) }; }
         catch (err) { return { d, code: err.code }; }
       }`,
      { maxInstances: 8 },
    );
    await t.deploy("sleeper", `export default () => new Promise((r) => setTimeout(r, 20000))`);
  });
  after(() => t.close());

  const activation = async (id: string) => {
    await t.platform.activations.flush();
    const res = await t.call("GET", `/v1/accounts/${t.account}/activations/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };

  it("a sync child's result comes back; its activation records the parent and a W3C traceparent", async () => {
    const res = await t.invoke("parent", { n: 7 });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.child, { got: { n: 7 }, type: "runlet.function" });
    const children = await t.call("GET", `/v1/accounts/${t.account}/activations?function=child`);
    const child = await activation(children.body.activations[0].id);
    assert.equal(child.trigger, "function");
    assert.equal(child.parentId, res.body.me);
    assert.match(child.traceparent, TRACEPARENT);
    const parent = await activation(res.body.me);
    assert.equal(parent.parentId, undefined, "an HTTP invocation has no parent");
  });

  it("an http-style child answers with its response body (JSON parsed, text as a string), uncut", async () => {
    await t.deploy("page", `export default { fetch: () => new Response("x".repeat(10000)) }`);
    await t.deploy("api", `export default { fetch: () => Response.json({ items: [1, 2, 3] }) }`);
    await t.deploy(
      "reader",
      `export default async (event, ctx) => ({ page: await ctx.invoke("page"), api: await ctx.invoke("api") })`,
    );
    const res = await t.invoke("reader");
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.body.page.length, 10000, "not cut to the activation record's 4 KiB");
    assert.deepEqual(res.body.api, { items: [1, 2, 3] });
  });

  it("a grandchild keeps the trace id with a new span id", async () => {
    const res = await t.invoke("mid");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, "leaf");
    await t.platform.activations.flush();
    const mid = (await t.call("GET", `/v1/accounts/${t.account}/activations?function=mid`)).body
      .activations[0];
    const leafList = await t.call("GET", `/v1/accounts/${t.account}/activations?function=leaf`);
    const leaf = await activation(leafList.body.activations[0].id);
    assert.equal(leaf.parentId, mid.id);
    const midRecord = await activation(mid.id);
    assert.equal(midRecord.traceparent, undefined);
    assert.match(leaf.traceparent, TRACEPARENT);
  });

  it("trace ids carry down a chain of three", async () => {
    await t.deploy("top", `export default async (event, ctx) => ctx.invoke("mid", null)`);
    assert.equal((await t.invoke("top")).status, 200);
    await t.platform.activations.flush();
    const latest = async (fn: string) =>
      activation(
        (await t.call("GET", `/v1/accounts/${t.account}/activations?function=${fn}&limit=1`)).body
          .activations[0].id,
      );
    const [mid, leaf] = [await latest("mid"), await latest("leaf")];
    const [, midTrace, midSpan] = TRACEPARENT.exec(mid.traceparent)!;
    const [, leafTrace, leafSpan] = TRACEPARENT.exec(leaf.traceparent)!;
    assert.equal(leafTrace, midTrace, "same trace id");
    assert.notEqual(leafSpan, midSpan, "new span id");
    assert.equal(leaf.parentId, mid.id);
  });

  it("a failed child rejects in the parent with the child's code and activation id", async () => {
    const res = await t.invoke("catcher", { target: "thrower" });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.message, /child broke/);
    const child = await activation(res.body.activationId);
    assert.equal(child.function, "thrower");
    assert.equal(child.status, "function_error");
  });

  it("options.timeoutMs caps the child's time", async () => {
    const res = await t.invoke("catcher", { target: "sleeper", options: { timeoutMs: 50 } });
    assert.equal(res.body.code, "RUNLET_ERR_TIMEOUT", res.text);
    assert.equal((await activation(res.body.activationId)).status, "timeout");
  });

  it("a name is all it takes: another account's function is unreachable, an account path is not a name", async () => {
    await t.platform.store.accounts.create({ name: "other", createdAt: Date.now() });
    await t.platform.functions.put(
      "other",
      "hidden",
      { source: `export default async () => "secret"` },
      true,
    );
    const missing = await t.invoke("catcher", { target: "hidden" });
    assert.equal(missing.body.code, "RUNLET_ERR_FUNCTION_NOT_FOUND", missing.text);
    const pathLike = await t.invoke("catcher", { target: "other/hidden" });
    assert.equal(pathLike.body.code, "RUNLET_ERR_INVALID_NAME", pathLike.text);
  });

  it("a recursion stops at the depth limit with a clear code", async () => {
    const res = await t.invoke("rec", { d: 0 });
    assert.equal(res.status, 200, res.text);
    // depth 0 (HTTP) → 1 → 2 → 3; the fourth hop is refused.
    assert.deepEqual(res.body, {
      d: 0,
      next: { d: 1, next: { d: 2, next: { d: 3, code: "RUNLET_ERR_INVOKE_DEPTH" } } },
    });
  });

  it("with {async: true} the child is queued and the parent gets its activation id at once", async () => {
    await t.deploy(
      "spawner",
      `export default async (event, ctx) => ({ queued: await ctx.invoke("child", { n: 3 }, { async: true, retries: 0 }), me: ctx.activationId })`,
    );
    const res = await t.invoke("spawner");
    assert.equal(res.status, 200, res.text);
    const id = res.body.queued.activationId;
    assert.match(id, /^act_/);
    let child;
    for (let i = 0; i < 500; i++) {
      child = await activation(id).catch(() => undefined);
      if (child && !["queued", "running"].includes(child.status)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(child.status, "succeeded");
    assert.deepEqual(child.result, { got: { n: 3 }, type: "runlet.function" });
    assert.equal(child.parentId, res.body.me);
    assert.match(child.traceparent, TRACEPARENT);
  });

  it("one invocation may make at most 50 ctx.invoke calls; the 51st fails with a clear code", async () => {
    await t.deploy(
      "fanout",
      `export default async (event, ctx) => {
         let ok = 0;
         for (let i = 0; i < 60; i++) {
           try { await ctx.invoke("leaf"); ok++; } catch (err) { return { ok, code: err.code }; }
         }
         return { ok };
       }`,
    );
    const res = await t.invoke("fanout");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { ok: 50, code: "RUNLET_ERR_INVOKE_LIMIT" });
  });

  it("the child gets no more than the caller's remaining time", async () => {
    const caller: Caller = {
      account: t.account,
      function: "host-test",
      version: 1,
      activationId: "act_host_test",
      deadline: Date.now() + 150,
      depth: 0,
      chain: "chain-test",
      log() {},
    };
    await assert.rejects(
      t.platform.ops.call(caller, "invoke", { name: "sleeper", json: "{}", options: {} }),
      (err: { code?: string; activationId?: string }) => {
        assert.equal(err.code, "RUNLET_ERR_TIMEOUT");
        assert.ok(err.activationId, "the child's activation id travels with the error");
        return true;
      },
    );
    const past = { ...caller, deadline: Date.now() - 1 };
    await assert.rejects(t.platform.ops.call(past, "invoke", { name: "leaf", json: "{}", options: {} }), {
      code: "RUNLET_ERR_TIMEOUT",
    });
  });
});
