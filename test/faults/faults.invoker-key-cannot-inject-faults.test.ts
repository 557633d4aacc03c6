import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("X-Runlet-Faults from an invoker key is refused, never silently ignored nor applied", () => {
  let t: TestPlatform;
  let invokerKey: string;
  let developerKey: string;

  before(async () => {
    t = await startPlatform();
    invokerKey = (await t.call("POST", "/v1/accounts/default/keys", { name: "inv", role: "invoker" })).body
      .key;
    developerKey = (await t.call("POST", "/v1/accounts/default/keys", { name: "dev", role: "developer" }))
      .body.key;
    await t.deploy("counter", `export default async (_e, ctx) => (await ctx.kv.get("n")) ?? 0`);
    await t.call("PUT", "/v1/accounts/default/faults/kv-down", {
      rules: [{ target: "kv", kind: "unavailable" }],
    });
  });
  after(() => t.close());

  it("an invoker key gets 403 RUNLET_ERR_FAULTS_FORBIDDEN, and the function does not run", async () => {
    const res = await t.call(
      "POST",
      "/v1/accounts/default/functions/counter/invoke",
      {},
      { key: invokerKey, headers: { "x-runlet-faults": "kv-down" } },
    );
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FAULTS_FORBIDDEN");
    assert.match(res.body.error.message, /developer or admin key/);
    assert.equal(res.headers.get("x-runlet-activation-id"), null);
    // The same key without the header invokes as usual; it cannot read or change profiles either.
    assert.equal((await t.invoke("counter", {}, { key: invokerKey })).status, 200);
    assert.equal(
      (await t.call("GET", "/v1/accounts/default/faults", undefined, { key: invokerKey })).status,
      403,
    );
  });

  it("a developer key applies the profile", async () => {
    const res = await t.call(
      "POST",
      "/v1/accounts/default/functions/counter/invoke",
      {},
      { key: developerKey, headers: { "x-runlet-faults": "kv-down" } },
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /ctx\.kv is unavailable: injected by fault profile "kv-down"/);
  });
});
