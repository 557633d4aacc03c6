import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestPlatform } from "../helpers/platform.js";
import { platformWithDependency, type WithDependency } from "./helpers.js";

// An orchestration that calls a dependency over HTTP and says how it coped when it failed.
const ORCHESTRATION = `export default async ({ payload }) => {
  try {
    const res = await fetch(payload.url);
    return { ok: res.ok, status: res.status };
  } catch (err) {
    return { ok: false, fallback: true, code: err.code, message: err.message };
  }
}`;

describe("a fault profile fails an orchestration's fetch, and only for the invocations that carry it", () => {
  let dep: WithDependency;
  let t: TestPlatform;
  let url: string;

  before(async () => {
    dep = await platformWithDependency();
    ({ t, url } = dep);
    await t.deploy("checkout", ORCHESTRATION);
    const put = await t.call("PUT", "/v1/accounts/default/faults/api-down", {
      rules: [
        { target: "fetch:API.test.example", kind: "error" },
        { target: "fetch:other.example", kind: "status", status: 503, rate: 0.5 },
      ],
    });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.rules[0], { target: "fetch:api.test.example", kind: "error", rate: 1 });
  });
  after(async () => {
    await dep.close();
  });

  it("with X-Runlet-Faults the fetch fails inside the function and nothing is sent; the record says which rule fired", async () => {
    const before = dep.requests();
    const res = await t.call(
      "POST",
      "/v1/accounts/default/functions/checkout/invoke",
      { url },
      { headers: { "x-runlet-faults": "api-down" } },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.fallback, true);
    assert.equal(res.body.code, "RUNLET_ERR_FETCH_FAILED");
    assert.match(res.body.message, /injected by fault profile "api-down"/);
    assert.equal(dep.requests(), before, "an injected fetch error sends no request");

    await t.platform.activations.flush();
    const id = res.headers.get("x-runlet-activation-id");
    const activation = await t.call("GET", `/v1/accounts/default/activations/${id}`);
    assert.deepEqual(activation.body.faults, {
      profile: "api-down",
      fired: [{ target: "fetch:api.test.example", kind: "error", count: 1 }],
    });
    assert.ok(activation.body.logs.some((l: { msg: string }) => l.msg.includes("api-down")));
  });

  it("the same invocation without the header reaches the dependency, and its record has no faults", async () => {
    const before = dep.requests();
    const res = await t.invoke("checkout", { url });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { ok: true, status: 200 });
    assert.equal(dep.requests(), before + 1);
    await t.platform.activations.flush();
    const activation = await t.call(
      "GET",
      `/v1/accounts/default/activations/${res.headers.get("x-runlet-activation-id")}`,
    );
    assert.equal(activation.body.faults, undefined);
  });

  it("a queued invocation keeps its profile until it runs", async () => {
    const before = dep.requests();
    const res = await t.call(
      "POST",
      "/v1/accounts/default/functions/checkout/invoke?async=true",
      { url },
      { headers: { "x-runlet-faults": "api-down" } },
    );
    assert.equal(res.status, 202, res.text);
    let activation;
    for (;;) {
      activation = await t.call("GET", `/v1/accounts/default/activations/${res.body.activationId}`);
      if (activation.body.status !== "queued" && activation.body.status !== "running") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(activation.body.result.code, "RUNLET_ERR_FETCH_FAILED");
    assert.equal(activation.body.faults.fired[0].count, 1);
    assert.equal(dep.requests(), before);
  });

  it("a profile that does not exist is a 404 that says how to create one", async () => {
    const res = await t.call(
      "POST",
      "/v1/accounts/default/functions/checkout/invoke",
      { url },
      { headers: { "x-runlet-faults": "nope" } },
    );
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "RUNLET_ERR_FAULT_PROFILE_NOT_FOUND");
    assert.match(res.body.error.message, /runlet faults set/);
  });
});
