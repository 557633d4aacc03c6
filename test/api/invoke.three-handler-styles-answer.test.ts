import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("each handler style, detected at deploy, answers its invoker", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
  });
  after(() => t.close());

  it("event style (TypeScript): default async function (event, ctx)", async () => {
    const res = await t.deploy(
      "greet",
      `interface Event { payload: { name?: string } }
       export default async function (event: Event, ctx: { env: Record<string, string>; function: { name: string } }) {
         console.info("hi", event.payload.name);
         return { hello: event.payload.name ?? "world", env: ctx.env.GREETING, fn: ctx.function.name };
       }`,
      { env: { GREETING: "hey" } },
    );
    assert.equal(res.body.style, "event");
    assert.equal(res.body.state, "deployed");
    const out = await t.invoke("greet", { name: "Ada" });
    assert.equal(out.status, 200);
    assert.deepEqual(out.body, { hello: "Ada", env: "hey", fn: "greet" });
    assert.match(out.headers.get("x-runlet-activation-id") ?? "", /^act_/);
    assert.ok(Number(out.headers.get("x-runlet-duration-ms")) >= 0);
    assert.equal(out.headers.get("x-runlet-cold-start"), "false");
  });

  it("http style: default { fetch(request) } gets a Request and returns a Response", async () => {
    const res = await t.deploy(
      "web",
      `export default {
         async fetch(request) {
           const body = await request.text();
           return new Response(JSON.stringify({ method: request.method, url: request.url, body }), {
             status: 201, headers: { "content-type": "application/json", "x-made-by": "fn" } });
         } }`,
    );
    assert.equal(res.body.style, "http");
    const out = await t.invoke("web", { a: 1 });
    assert.equal(out.status, 200);
    assert.equal(out.body.method, "POST");
    assert.equal(out.body.body, '{"a":1}');

    const web = await t.call("POST", "/fn/default/web/items/7?x=1", "raw text", {
      headers: { "content-type": "text/plain" },
    });
    assert.equal(web.status, 201);
    assert.equal(web.headers.get("x-made-by"), "fn");
    assert.equal(web.body.body, "raw text");
    assert.match(web.body.url, /\/items\/7\?x=1$/);
  });

  it("classic style: function lambda(input, callback) with {timestamp, headers, payload}", async () => {
    const res = await t.deploy(
      "classic",
      `function lambda(input, callback) {
         callback(null, { got: input.payload, hasTime: typeof input.timestamp === "number", headers: Array.isArray(input.headers) });
       }`,
    );
    assert.equal(res.body.style, "classic");
    const out = await t.invoke("classic", { x: [1, 2] });
    assert.deepEqual(out.body, { got: { x: [1, 2] }, hasTime: true, headers: true });
  });

  it("classic style answers an error through the callback as function_error", async () => {
    await t.deploy("classic-err", `function lambda(input, callback) { callback(new Error("nope")); }`);
    const out = await t.invoke("classic-err");
    assert.equal(out.status, 502);
    assert.equal(out.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(out.body.error.message, /nope/);
  });

  it("a non-public web function needs a key; a public one does not", async () => {
    await t.deploy("private-web", `export default async (event) => ({ payload: event.payload })`);
    const denied = await t.call("GET", "/fn/default/private-web", undefined, { key: null });
    assert.equal(denied.status, 401);
    await t.deploy("public-web", `export default async (event) => ({ payload: event.payload })`, {
      public: true,
    });
    const open = await t.call("POST", "/fn/default/public-web/x", { q: 1 }, { key: null });
    assert.equal(open.status, 200);
    assert.deepEqual(open.body, { payload: { q: 1 } });
  });

  it("every invocation leaves an activation record with its logs", async () => {
    const out = await t.invoke("greet", { name: "Lin" });
    const id = out.headers.get("x-runlet-activation-id")!;
    const rec = await t.call("GET", `/v1/accounts/default/activations/${id}`);
    assert.equal(rec.status, 200);
    assert.equal(rec.body.id, id);
    assert.equal(rec.body.function, "greet");
    assert.equal(rec.body.version, 1);
    assert.equal(rec.body.trigger, "http");
    assert.equal(rec.body.status, "succeeded");
    assert.deepEqual(rec.body.result, { hello: "Lin", env: "hey", fn: "greet" });
    assert.equal(rec.body.error, null);
    assert.equal(rec.body.logs.length, 1);
    assert.equal(rec.body.logs[0].level, "info");
    assert.equal(rec.body.logs[0].msg, "hi Lin");
    assert.equal(rec.body.logsTruncated, false);
    assert.ok(rec.body.billedMs >= 1 && Number.isInteger(rec.body.billedMs));
    assert.ok(rec.body.billedMs >= rec.body.durationMs);
    assert.equal(rec.body.memoryMb, 128);
    assert.equal(typeof rec.body.coldStart, "boolean");
    assert.ok(Date.parse(rec.body.startedAt) > 0);
  });
});
