import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// /metrics labels name every account's functions; with RUNLET_METRICS_TOKEN set only its bearer reads it.
describe("GET /metrics with RUNLET_METRICS_TOKEN needs that bearer token", () => {
  const TOKEN = "scrape-secret-0123456789";
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform({ config: { metricsToken: TOKEN } });
    await t.deploy("secret-project", `export default async () => 1`);
    await t.invoke("secret-project");
  });
  after(() => t.close());

  for (const [label, headers] of [
    ["no Authorization", {}],
    ["another bearer token", { authorization: "Bearer scrape-secret-0123456780" }],
    ["Basic auth", { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}` }],
  ] as const) {
    it(`refuses ${label}: 401 RUNLET_ERR_UNAUTHENTICATED, no names`, async () => {
      const res = await t.call("GET", "/metrics", undefined, { key: null, headers });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_UNAUTHENTICATED");
      assert.match(res.body.error.message, /RUNLET_METRICS_TOKEN/);
      assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="runlet-metrics"');
      assert.doesNotMatch(res.text, /secret-project/);
    });
  }

  it("the admin key of an account is not the metrics token either", async () => {
    const res = await t.call("GET", "/metrics");
    assert.equal(res.status, 401, res.text);
  });

  it("serves Prometheus text to the token's bearer", async () => {
    const res = await t.call("GET", "/metrics", undefined, { key: TOKEN });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /runlet_invocations_total\{[^}]*function="secret-project"/);
  });

  it("leaves /healthz open", async () => {
    const res = await t.call("GET", "/healthz", undefined, { key: null });
    assert.equal(res.status, 200);
  });
});
