import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { startRemote } from "./local-server.js";

describe("fetch from a function: allowed hosts answer, blocked ones fail inside it and show in the activation", () => {
  let remote: Awaited<ReturnType<typeof startRemote>>;
  let t: TestPlatform;

  before(async () => {
    remote = await startRemote();
    t = await startPlatform({
      platform: {
        outbound: {
          allowPrivate: ["127.0.0.1"],
          resolve: async (host) => (host === "api.test.example" ? ["127.0.0.1"] : []),
        },
      },
    });
    await t.call("PUT", "/v1/accounts/default/allowlist", { domains: ["api.test.example"] });
    await t.deploy(
      "caller",
      `export default async ({ payload }, ctx) => {
         const get = payload.viaCtx ? ctx.fetch : fetch;
         try {
           const res = await get(payload.url, { method: payload.method ?? "GET", body: payload.body });
           return { status: res.status, redirected: res.redirected, json: await res.json() };
         } catch (err) {
           return { failed: true, isTypeError: err instanceof TypeError, code: err.code, message: err.message };
         }
       }`,
    );
  });
  after(async () => {
    await t.close();
    await remote.close();
  });

  it("global fetch and ctx.fetch reach an allowlisted host", async () => {
    const url = `http://api.test.example:${remote.port}/echo`;
    for (const viaCtx of [false, true]) {
      const res = await t.invoke("caller", { url, method: "POST", body: "from the isolate", viaCtx });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.json.body, "from the isolate");
      assert.equal(res.body.json.host, `api.test.example:${remote.port}`);
    }
  });

  it("a redirect into the metadata address fails with a TypeError carrying the code, logged in the activation", async () => {
    const url = `http://api.test.example:${remote.port}/redirect?to=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`;
    const res = await t.invoke("caller", { url });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.failed, true);
    assert.equal(res.body.isTypeError, true);
    assert.equal(res.body.code, "RUNLET_ERR_FETCH_BLOCKED");
    assert.match(res.body.message, /169\.254\.169\.254, the cloud metadata address/);

    await t.platform.activations.flush();
    const id = res.headers.get("x-runlet-activation-id");
    const activation = await t.call("GET", `/v1/accounts/default/activations/${id}`);
    const line = activation.body.logs.find((l: { msg: string }) =>
      l.msg.includes("RUNLET_ERR_FETCH_BLOCKED"),
    );
    assert.ok(line, JSON.stringify(activation.body.logs));
    assert.equal(line.level, "error");
  });

  // This platform lets 127.0.0.1 through (its test server); every other loopback address stays refused.
  it("loopback, [::1] and unlisted hosts are refused; an uncaught refusal fails the invocation with the message", async () => {
    for (const [url, message] of [
      ["http://127.0.0.2:7070/", /127\.0\.0\.2, a loopback address/],
      ["http://[::1]:7070/", /loopback/],
      ["https://example.org/", /not on the account's allowlist/],
    ] as const) {
      const res = await t.invoke("caller", { url });
      assert.equal(res.body.code, "RUNLET_ERR_FETCH_BLOCKED", url);
      assert.match(res.body.message, message);
    }
    await t.deploy("uncaught", `export default async () => (await fetch("http://169.254.169.254/")).status`);
    const res = await t.invoke("uncaught");
    assert.equal(res.status, 502);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /169\.254\.169\.254/);
  });
});
