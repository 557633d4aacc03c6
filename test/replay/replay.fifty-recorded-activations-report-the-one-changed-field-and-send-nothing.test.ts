import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";
import { startRemote } from "../outbound/local-server.js";

// Calls every kind of host operation: fetch, a kv read and write, a secret, another function.
const quote = (factor: number) => `export default async ({ payload }, ctx) => {
  const res = await fetch(payload.url, { method: "POST", body: String(payload.n) });
  const echoed = await res.json();
  const region = (await ctx.kv.get("region")) ?? "none";
  await ctx.kv.set("last", payload.n);
  const token = await ctx.secrets.get("API_TOKEN");
  const tax = await ctx.invoke("tax", { n: payload.n });
  return { n: payload.n, price: payload.n * ${factor}, sent: echoed.body, region, signed: token !== undefined, tax };
}`;

for (const dialect of ["sqlite", "postgres"] as const) {
  describe(`a replay of 50 recorded activations against a version that changed one field (${dialect})`, () => {
    let schema: FreshSchema | undefined;
    let remote: Awaited<ReturnType<typeof startRemote>>;
    let t: TestPlatform;
    let requests = 0;
    const ids: string[] = [];

    before(async () => {
      remote = await startRemote();
      remote.server.on("request", () => requests++);
      schema = dialect === "postgres" ? await freshSchema("runlet_replay") : undefined;
      t = await startPlatform({
        ...(schema ? { databaseUrl: schema.url } : {}),
        limits: { fetchPerSecond: 1000 },
        platform: {
          outbound: {
            allowPrivate: ["127.0.0.1"],
            resolve: async (host) => (host === "api.test.example" ? ["127.0.0.1"] : []),
          },
        },
      });
      await t.call("PUT", "/v1/accounts/default/allowlist", { domains: ["api.test.example"] });
      await t.call("PUT", "/v1/accounts/default/secrets/API_TOKEN", { value: "s3cret-value" });
      await t.call("PUT", "/v1/accounts/default/kv/default/region", JSON.stringify("eu"));
      await t.deploy("tax", `export default async ({ payload }) => ({ rate: 0.2, of: payload.n })`);
      await t.deploy("quote", quote(3), { record: { sample: 1, days: 7 } });
      const url = `http://api.test.example:${remote.port}/echo`;
      for (let n = 1; n <= 50; n++) {
        const res = await t.invoke("quote", { url, n });
        assert.equal(res.status, 200, res.text);
        ids.push(res.headers.get("x-runlet-activation-id")!);
      }
      assert.equal(requests, 50);
      // Version 2 changes one field of the result (and is not deployed).
      const v2 = await t.call("PUT", "/v1/accounts/default/functions/quote", {
        source: quote(4),
        record: { sample: 1, days: 7 },
      });
      assert.equal(v2.body.version, 2, v2.text);
      await t.platform.activations.flush();
      await t.platform.recordings.flush();
    });
    after(async () => {
      await t.close();
      await remote.close();
      await schema?.drop();
    });

    it("reports exactly the 50 differences, at $.result.price, and makes no outbound request nor kv write", async () => {
      const before = (await t.call("GET", "/v1/accounts/default/activations?limit=1000")).body.activations
        .length;
      await t.call("PUT", "/v1/accounts/default/kv/default/last", JSON.stringify("untouched"));
      const res = await t.call("POST", "/v1/accounts/default/functions/quote/replay", {
        version: 2,
        last: 100,
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.summary, { replayed: 50, same: 0, differentResult: 50, differentCalls: 0 });
      assert.deepEqual(
        res.body.reports.map((r: { activationId: string }) => r.activationId).sort(),
        [...ids].sort(),
      );
      for (const report of res.body.reports) {
        assert.equal(report.verdict, "different_result");
        assert.equal(report.recordedVersion, 1);
        assert.equal(report.version, 2);
        const n = report.recorded.result.n;
        assert.deepEqual(report.diff, [{ path: "$.result.price", recorded: n * 3, replayed: n * 4 }]);
        assert.deepEqual(report.calls, []);
        // The played-back answers: the remote's echo, the kv read, the child's result.
        assert.equal(report.replayed.result.sent, String(n));
        assert.equal(report.replayed.result.region, "eu");
        assert.deepEqual(report.replayed.result.tax, { rate: 0.2, of: n });
        assert.equal(report.replayed.result.signed, true);
      }
      assert.equal(requests, 50, "a replay sends no outbound request");
      assert.equal((await t.call("GET", "/v1/accounts/default/kv/default/last")).body, "untouched");
      await t.platform.activations.flush();
      const after = (await t.call("GET", "/v1/accounts/default/activations?limit=1000")).body.activations
        .length;
      assert.equal(after, before, "replays leave no activation records (and so no usage)");
    });

    it("the recorded version itself replays the same, one activation at a time too", async () => {
      const all = await t.call("POST", "/v1/accounts/default/functions/quote/replay", { version: 1 });
      assert.deepEqual(all.body.summary, { replayed: 50, same: 50, differentResult: 0, differentCalls: 0 });
      const one = await t.call("POST", `/v1/accounts/default/activations/${ids[7]}/replay`, { version: 2 });
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.verdict, "different_result");
      assert.deepEqual(one.body.diff, [{ path: "$.result.price", recorded: 24, replayed: 32 }]);
      assert.equal(requests, 50);
    });
  });
}
