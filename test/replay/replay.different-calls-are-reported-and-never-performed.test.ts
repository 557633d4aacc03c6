import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { startRemote } from "../outbound/local-server.js";

describe("a version that makes other calls than the recording: reported as different calls, none of them performed", () => {
  let remote: Awaited<ReturnType<typeof startRemote>>;
  let t: TestPlatform;
  let requests = 0;
  let id: string;
  let url: string;

  before(async () => {
    remote = await startRemote();
    remote.server.on("request", () => requests++);
    url = `http://api.test.example:${remote.port}`;
    t = await startPlatform({
      platform: {
        outbound: {
          allowPrivate: ["127.0.0.1"],
          resolve: async (host) => (host === "api.test.example" ? ["127.0.0.1"] : []),
        },
      },
    });
    await t.call("PUT", "/v1/accounts/default/allowlist", { domains: ["api.test.example"] });
    await t.deploy(
      "sync-orders",
      `export default async ({ payload }, ctx) => {
         const res = await fetch(payload.url + "/echo");
         await ctx.kv.set("synced", true);
         return { status: res.status };
       }`,
      { record: { sample: 1, days: 1 } },
    );
    id = (await t.invoke("sync-orders", { url })).headers.get("x-runlet-activation-id")!;
    assert.equal(requests, 1);
    // Version 2 fetches another path and writes another key: neither is in the recording.
    await t.call("PUT", "/v1/accounts/default/functions/sync-orders", {
      source: `export default async ({ payload }, ctx) => {
         let status;
         try { status = (await fetch(payload.url + "/big?bytes=10")).status; } catch (err) { status = err.code; }
         try { await ctx.kv.set("synced-v2", true); } catch (err) { return { status, kv: err.code }; }
         return { status };
       }`,
    });
    await t.platform.recordings.flush();
  });
  after(async () => {
    await t.close();
    await remote.close();
  });

  it("lists the unrecorded calls and the recorded ones not made; sends nothing and writes nothing", async () => {
    const res = await t.call("POST", `/v1/accounts/default/activations/${id}/replay`, { version: 2 });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.verdict, "different_calls");
    assert.deepEqual(res.body.calls, [
      { what: `fetch GET ${url}/big?bytes=10`, problem: "not_recorded" },
      { what: "ctx.kv.set default/synced-v2", problem: "not_recorded" },
      { what: `fetch GET ${url}/echo`, problem: "not_made" },
      { what: "ctx.kv.set default/synced", problem: "not_made" },
    ]);
    // Inside the function the unrecorded calls failed, with the code that says why.
    assert.deepEqual(res.body.replayed.result, {
      status: "RUNLET_ERR_NOT_RECORDED",
      kv: "RUNLET_ERR_NOT_RECORDED",
    });
    assert.equal(requests, 1);
    assert.equal((await t.call("GET", "/v1/accounts/default/kv/default/synced-v2")).status, 404);
  });
});
