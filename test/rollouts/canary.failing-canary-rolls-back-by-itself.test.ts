import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestPlatform } from "../helpers/platform.js";
import { STORES, eventually, versionSource } from "./helpers.js";

for (const [store, start] of STORES) {
  describe(`a failing canary with autoRollback (${store})`, () => {
    let t: TestPlatform;
    const base = "/v1/accounts/default/functions/risky";
    before(async () => {
      t = await start();
      await t.deploy("risky", versionSource(1));
      await t.call("PUT", base, { source: "export default async () => { throw new Error('v2 is broken') }" });
    });
    after(() => t.close());

    it("is rolled back by the platform once its error rate is over the threshold, saying why", async () => {
      const dep = await t.call("POST", `${base}/deploy`, {
        version: 2,
        percent: 50,
        autoRollback: { maxErrorRate: 0.2, minInvocations: 10, window: "10m" },
      });
      assert.equal(dep.status, 200, dep.text);
      assert.deepEqual(dep.body.canary.autoRollback, {
        maxErrorRate: 0.2,
        minInvocations: 10,
        windowMs: 600_000,
      });
      let failed = 0;
      // Invoke until the canary is gone; the rollback happens beside the requests, never in them.
      const rolledBack = await eventually(async () => {
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            t.invoke("risky", {}, { headers: { "x-runlet-route-key": `k${failed}-${i}` } }),
          ),
        );
        failed += answers.filter((a) => a.status !== 200).length;
        const fn = await t.call("GET", base);
        return fn.body.canary === null && fn;
      }, 30_000);
      assert.equal(rolledBack.body.deployedVersion, 1);
      assert.ok(failed >= 10, `the canary failed ${failed} times before it went`);
      for (let i = 0; i < 20; i++) {
        const a = await t.invoke("risky", {}, { headers: { "x-runlet-route-key": `after-${i}` } });
        assert.deepEqual(a.body, { version: 1 });
      }

      const history = await t.call("GET", `${base}/deployments`);
      const last = history.body.deployments[0];
      assert.equal(last.version, 1);
      assert.equal(last.canary, null);
      assert.match(
        last.reason,
        /^auto-rollback: canary version 2 failed \d+ of \d+ invocations \(100%\).* against 0% for version 1/,
      );

      const audit = await t.call("GET", "/v1/accounts/default/audit");
      const entry = audit.body.entries.find((e: { action: string }) => e.action === "function.rollback");
      assert.ok(entry, JSON.stringify(audit.body));
      assert.equal(entry.actor, "system");
      assert.equal(entry.target, "risky");
      assert.equal(entry.detail.canary, 2);
      assert.equal(entry.detail.reason, last.reason);
      assert.equal(entry.detail.canaryErrorRate, 1);
    });
  });
}
