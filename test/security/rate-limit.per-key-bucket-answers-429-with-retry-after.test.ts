import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { RateLimiter } from "../../src/security/rate-limit.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;

before(async () => {
  // A refill so slow that no request in this test gets a new token back: the outcome does not depend on timing.
  t = await startPlatform({ config: { access: { rateLimitPerSecond: 0.001, rateLimitBurst: 5 } } });
});
after(() => t.close());

it("gives each key its burst, then 429 RUNLET_ERR_RATE_LIMITED with Retry-After; other keys are unaffected", async () => {
  const keys = await Promise.all(
    ["a", "b"].map(
      async (name) =>
        (await t.call("POST", "/v1/accounts/default/keys", { name, role: "invoker" })).body.key as string,
    ),
  );
  const route = "/v1/accounts/default/functions/missing/invoke";
  for (let i = 0; i < 5; i++) {
    const res = await t.call("POST", route, {}, { key: keys[0]! });
    assert.equal(res.status, 404, `request ${i + 1} is within the burst`);
  }
  const limited = await t.call("POST", route, {}, { key: keys[0]! });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error.code, "RUNLET_ERR_RATE_LIMITED");
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  // Fastify routes share the same bucket as the fast invoke path.
  const list = await t.call("GET", "/v1/accounts/default/activations", undefined, { key: keys[0]! });
  assert.equal(list.status, 429);
  assert.equal((await t.call("POST", route, {}, { key: keys[1]! })).status, 404);
});

it("refills at the configured rate (clock passed in: no sleeping)", () => {
  const limiter = new RateLimiter({ perSecond: 10, burst: 2 });
  limiter.take("k", 0);
  limiter.take("k", 0);
  assert.throws(() => limiter.take("k", 0), { code: "RUNLET_ERR_RATE_LIMITED" });
  limiter.take("k", 100); // 100 ms at 10/s is one token
  assert.throws(() => limiter.take("k", 100), { code: "RUNLET_ERR_RATE_LIMITED" });
  limiter.take("k", 10_000);
  limiter.take("k", 10_000); // refills to the burst, no further
  assert.throws(() => limiter.take("k", 10_000), { code: "RUNLET_ERR_RATE_LIMITED" });
  new RateLimiter({ perSecond: 0, burst: 1 }).take("k"); // 0: no limit
});
