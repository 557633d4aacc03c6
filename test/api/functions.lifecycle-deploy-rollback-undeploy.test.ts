import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

const v = (n: number) => `export default async () => ({ version: ${n} })`;

describe("function lifecycle: draft → deployed → modified → rollback → undeployed → deleted", () => {
  let t: TestPlatform;
  const base = "/v1/accounts/default/functions/life";
  before(async () => {
    t = await startPlatform({ limits: { versionsKept: 3 } });
  });
  after(() => t.close());

  it("an upload without deploy is a draft that cannot be invoked, but a developer can test-invoke it", async () => {
    const res = await t.call("PUT", base, { source: v(1) });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, { name: "life", version: 1, state: "draft", style: "event", created: true });
    const out = await t.invoke("life");
    assert.equal(out.status, 409);
    assert.equal(out.body.error.code, "RUNLET_ERR_NOT_DEPLOYED");
    const test = await t.call("POST", `${base}/invoke?version=1`, {});
    assert.deepEqual(test.body, { version: 1 });
  });

  it("deploy makes it invokable; an identical upload creates no new version", async () => {
    const dep = await t.call("POST", `${base}/deploy`, {});
    assert.equal(dep.status, 200);
    assert.equal(dep.body.state, "deployed");
    assert.deepEqual((await t.invoke("life")).body, { version: 1 });
    const same = await t.call("PUT", base, { source: v(1) });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 1);
    assert.equal(same.body.created, false);
  });

  it("a newer undeployed version makes it modified; deploying it switches invocations", async () => {
    const up = await t.call("PUT", base, { source: v(2) });
    assert.equal(up.body.state, "modified");
    assert.deepEqual((await t.invoke("life")).body, { version: 1 });
    await t.call("POST", `${base}/deploy`, {});
    assert.deepEqual((await t.invoke("life")).body, { version: 2 });
  });

  it("rollback deploys an older version", async () => {
    const rb = await t.call("POST", `${base}/deploy`, { version: 1 });
    assert.equal(rb.body.deployedVersion, 1);
    assert.equal(rb.body.state, "modified");
    assert.deepEqual((await t.invoke("life")).body, { version: 1 });
    const missing = await t.call("POST", `${base}/deploy`, { version: 99 });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "RUNLET_ERR_VERSION_NOT_FOUND");
  });

  it("only the newest versions are kept, never dropping the deployed one", async () => {
    for (const n of [3, 4, 5]) await t.call("PUT", base, { source: v(n) });
    const list = await t.call("GET", `${base}/versions`);
    const kept = list.body.versions.map((x: { version: number }) => x.version);
    assert.deepEqual(kept, [5, 4, 3, 1]);
    assert.equal(list.body.versions.find((x: { deployed: boolean }) => x.deployed).version, 1);
    const one = await t.call("GET", `${base}/versions/5`);
    assert.equal(one.body.source, v(5));
    const get = await t.call("GET", base);
    assert.equal(get.body.state, "modified");
    assert.equal(get.body.latestVersion, 5);
    assert.equal(get.body.config.timeoutMs, 30000);
    const all = await t.call("GET", "/v1/accounts/default/functions");
    assert.deepEqual(
      all.body.functions.map((f: { name: string }) => f.name),
      ["life"],
    );
  });

  it("undeploy stops invocations; delete removes it", async () => {
    const un = await t.call("POST", `${base}/undeploy`, {});
    assert.equal(un.body.state, "undeployed");
    assert.equal((await t.invoke("life")).status, 409);
    assert.equal((await t.call("DELETE", base)).status, 204);
    assert.equal((await t.call("GET", base)).status, 404);
    assert.equal((await t.invoke("life")).status, 404);
    assert.equal((await t.call("DELETE", base)).status, 404);
  });
});
