import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestPlatform } from "../helpers/platform.js";
import { platformWithDependency, type WithDependency } from "./helpers.js";

describe("a status rule answers the fetch without sending it; a delay rule sends it after the delay", () => {
  let dep: WithDependency;
  let t: TestPlatform;
  let url: string;

  before(async () => {
    dep = await platformWithDependency();
    ({ t, url } = dep);
    await t.deploy(
      "probe",
      `export default async ({ payload }) => {
         const res = await fetch(payload.url);
         return { status: res.status, fault: res.headers.get("x-runlet-fault"), body: await res.json() };
       }`,
    );
    await t.call("PUT", "/v1/accounts/default/faults/unavailable", {
      rules: [{ target: "fetch:*.example", kind: "status", status: 503 }],
    });
    await t.call("PUT", "/v1/accounts/default/faults/slow", {
      rules: [{ target: "fetch:*", kind: "delay", delayMs: 50 }],
    });
  });
  after(async () => {
    await dep.close();
  });

  const invoke = (profile: string) =>
    t.call(
      "POST",
      "/v1/accounts/default/functions/probe/invoke",
      { url },
      { headers: { "x-runlet-faults": profile } },
    );

  it("status: the function sees a 503 the remote never sent", async () => {
    const res = await invoke("unavailable");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      status: 503,
      fault: "unavailable",
      body: { error: "injected fault", profile: "unavailable" },
    });
    assert.equal(dep.requests(), 0);
  });

  it("delay: the real request is made and answers; the record counts the delay", async () => {
    const res = await invoke("slow");
    assert.equal(res.body.status, 200, res.text);
    assert.equal(res.body.body.method, "GET");
    assert.equal(dep.requests(), 1);
    await t.platform.activations.flush();
    const activation = await t.call(
      "GET",
      `/v1/accounts/default/activations/${res.headers.get("x-runlet-activation-id")}`,
    );
    assert.deepEqual(activation.body.faults.fired, [{ target: "fetch:*", kind: "delay", count: 1 }]);
  });
});
