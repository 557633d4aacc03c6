import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, invokeAsync } from "../queue/helpers.js";

describe("async invoke: bad input", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform({ config: { queue: fastQueue() } });
    await t.deploy("ok", "export default async () => 1");
  });
  after(() => t.close());

  for (const url of [
    "ftp://example.com/x",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "/relative",
    "not a url",
  ]) {
    it(`refuses X-Callback-Url ${url} with 400`, async () => {
      const res = await invokeAsync(t, "ok", {}, { "x-callback-url": url });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_CALLBACK_URL");
      assert.match(res.body.error.message, /http/);
    });
  }

  it("refuses a payload over 256 KiB with 413, though it is under the sync limit", async () => {
    const big = { blob: "x".repeat(256 * 1024) };
    const res = await invokeAsync(t, "ok", big);
    assert.equal(res.status, 413, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_PAYLOAD_TOO_LARGE");
    assert.match(res.body.error.message, /async payloads are limited to 262144 bytes/);
    const sync = await t.invoke("ok", big);
    assert.equal(sync.status, 200, "the same body is fine synchronously");
  });

  it("answers 404 for an unknown function and 409 for one not deployed, queueing nothing", async () => {
    const missing = await invokeAsync(t, "nope", {});
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "RUNLET_ERR_FUNCTION_NOT_FOUND");
    await t.call("POST", "/v1/accounts/default/functions/ok/undeploy");
    const undeployed = await invokeAsync(t, "ok", {});
    assert.equal(undeployed.status, 409);
    assert.equal(undeployed.body.error.code, "RUNLET_ERR_NOT_DEPLOYED");
    assert.equal(await t.platform.store.queue.pending(), 0);
  });

  it("refuses retry settings out of range at deploy", async () => {
    const res = await t.call("PUT", "/v1/accounts/default/functions/r", {
      source: "export default async () => 1",
      retry: { attempts: 0 },
    });
    assert.equal(res.status, 400);
    const delay = await t.call("PUT", "/v1/accounts/default/functions/r", {
      source: "export default async () => 1",
      retry: { attempts: 2, initialDelayMs: 4_000_000 },
    });
    assert.equal(delay.status, 400);
    assert.equal(delay.body.error.code, "RUNLET_ERR_INVALID_CONFIG");
    assert.match(delay.body.error.message, /retry.initialDelayMs/);
  });

  it("needs a key: no Authorization is 401", async () => {
    const res = await t.call(
      "POST",
      "/v1/accounts/default/functions/ok/invoke?async=true",
      {},
      { key: null },
    );
    assert.equal(res.status, 401);
  });
});
