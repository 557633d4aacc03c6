import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestPlatform } from "../helpers/platform.js";
import { STORES, eventually, versionSource } from "./helpers.js";

for (const [store, start] of STORES) {
  describe(`a 10 % canary (${store})`, () => {
    let t: TestPlatform;
    const base = "/v1/accounts/default/functions/split";
    before(async () => {
      t = await start();
      await t.deploy("split", versionSource(1));
      await t.call("PUT", base, { source: versionSource(2) });
    });
    after(() => t.close());

    it("gets 10 % ± 3 % of 2,000 invocations, each recorded under the version that ran", async () => {
      const dep = await t.call("POST", `${base}/deploy`, { version: 2, percent: 10 });
      assert.equal(dep.status, 200, dep.text);
      assert.equal(dep.body.deployedVersion, 1);
      assert.deepEqual(dep.body.canary.version, 2);
      assert.equal(dep.body.canary.percent, 10);
      const ran = { 1: 0, 2: 0 } as Record<number, number>;
      for (let i = 0; i < 2000; i += 50) {
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            t.invoke("split", {}, { headers: { "x-runlet-route-key": `user-${i + j}` } }),
          ),
        );
        for (const a of answers) ran[(a.body as { version: number }).version]! += 1;
      }
      assert.ok(ran[2]! >= 140 && ran[2]! <= 260, `the canary ran ${ran[2]} of 2000`);
      assert.equal(ran[1]! + ran[2]!, 2000);

      // runlet get's data: the last hour by version, the same split the callers saw (once all are stored).
      const get = await eventually(async () => {
        const res = await t.call("GET", base);
        const counts = Object.fromEntries(
          res.body.stats.lastHour.byVersion.map((v: { version: number; invocations: number }) => [
            v.version,
            v.invocations,
          ]),
        );
        return counts[1] === ran[1] && counts[2] === ran[2] && res;
      });
      assert.equal(get.body.versions.find((v: { canary: boolean }) => v.canary).version, 2);
      const metrics = await t.call("GET", `${base}/metrics?last=1h&buckets=1`);
      const succeeded = Object.fromEntries(
        metrics.body.byVersion.map((v: { version: number; succeeded: number }) => [v.version, v.succeeded]),
      );
      assert.deepEqual(succeeded, { 1: ran[1], 2: ran[2] });
      const prom = await t.call("GET", "/metrics");
      assert.match(
        prom.text,
        new RegExp(
          `runlet_invocations_total\\{[^}]*function="split",version="2",status="succeeded"\\} ${ran[2]}`,
        ),
      );
    });

    it("sends one route key to one version every time, and the caller's key id when no header is sent", async () => {
      const seen = new Set<number>();
      for (let i = 0; i < 20; i++) {
        const a = await t.invoke("split", {}, { headers: { "x-runlet-route-key": "user-7" } });
        seen.add((a.body as { version: number }).version);
      }
      assert.equal(seen.size, 1);
      const byKey = new Set<number>();
      for (let i = 0; i < 20; i++) byKey.add(((await t.invoke("split")).body as { version: number }).version);
      assert.equal(byKey.size, 1);
    });

    it("promote makes the canary the deployed version, which then takes everything", async () => {
      const promoted = await t.call("POST", `${base}/promote`);
      assert.equal(promoted.status, 200, promoted.text);
      assert.equal(promoted.body.deployedVersion, 2);
      assert.equal(promoted.body.canary, null);
      for (let i = 0; i < 20; i++) {
        const a = await t.invoke("split", {}, { headers: { "x-runlet-route-key": `u${i}` } });
        assert.deepEqual(a.body, { version: 2 });
      }
      const history = await t.call("GET", `${base}/deployments`);
      assert.deepEqual(
        history.body.deployments.map((d: { version: number; canary: unknown }) => [d.version, d.canary]),
        [
          [2, null],
          [1, { version: 2, percent: 10 }],
          [1, null],
        ],
      );
    });
  });
}
