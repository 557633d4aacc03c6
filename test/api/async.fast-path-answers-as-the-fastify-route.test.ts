import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, settled } from "../queue/helpers.js";

// The node:http fast path serves `?async=true` and `Prefer: respond-async` exactly as they come; a query
// it does not know (here `&version=…`-style extras) goes to the Fastify route. Both must answer alike.
describe("async invoke: the fast path and the Fastify route answer alike", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform({ config: { queue: fastQueue() } });
    await t.deploy("echo", "export default async (e) => e.payload");
  });
  after(() => t.close());

  const fast = "/v1/accounts/default/functions/echo/invoke?async=true";
  const routed = "/v1/accounts/default/functions/echo/invoke?async=true&x=1";

  it("202 with the same headers and body shape, and the job runs", async () => {
    for (const path of [fast, routed]) {
      const res = await t.call("POST", path, { via: path });
      assert.equal(res.status, 202, `${path}: ${res.text}`);
      const id = res.body.activationId as string;
      assert.deepEqual(Object.keys(res.body), ["activationId"]);
      assert.equal(res.headers.get("x-runlet-activation-id"), id);
      assert.equal(res.headers.get("location"), `/v1/accounts/default/activations/${id}`);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      assert.deepEqual((await settled(t, id)).result, { via: path });
    }
  });

  it("the same errors: bad callback URL, key reuse with another body, too large, no key", async () => {
    for (const path of [fast, routed]) {
      const bad = await t.call("POST", path, {}, { headers: { "x-callback-url": "ftp://x" } });
      assert.equal(bad.body.error.code, "RUNLET_ERR_INVALID_CALLBACK_URL", path);
      const key = { "idempotency-key": `k-${path.length}` };
      assert.equal((await t.call("POST", path, { a: 1 }, { headers: key })).status, 202);
      const reuse = await t.call("POST", path, { a: 2 }, { headers: key });
      assert.equal(reuse.status, 409, path);
      assert.equal(reuse.body.error.code, "RUNLET_ERR_IDEMPOTENCY_CONFLICT");
      const big = await t.call("POST", path, { blob: "x".repeat(300 * 1024) });
      assert.equal(big.status, 413, path);
      assert.match(big.body.error.message, /async payloads are limited/);
      const anonymous = await t.call("POST", path, {}, { key: null });
      assert.equal(anonymous.status, 401, path);
    }
    const prefer = await t.call("POST", "/v1/accounts/default/functions/echo/invoke", [1], {
      headers: { prefer: "respond-async, wait=10" },
    });
    assert.equal(prefer.status, 202);
  });
});
