import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RECORDING_MAX_CHARS } from "../../src/replay/recorder.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { startRemote } from "../outbound/local-server.js";

describe("an activation whose answers pass the recording cap runs as usual but is not kept, and its log says why", () => {
  let remote: Awaited<ReturnType<typeof startRemote>>;
  let t: TestPlatform;
  before(async () => {
    remote = await startRemote();
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
      "download",
      `export default async ({ payload }) => (await (await fetch(payload.url)).arrayBuffer()).byteLength`,
      { record: { sample: 1 } },
    );
  });
  after(async () => {
    await t.close();
    await remote.close();
  });

  it("a fetch answer over the cap: the result stands, the recording is not kept, a warn line names the call", async () => {
    const url = `http://api.test.example:${remote.port}/big?bytes=${RECORDING_MAX_CHARS + 1}`;
    const res = await t.invoke("download", { url });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, RECORDING_MAX_CHARS + 1);
    const id = res.headers.get("x-runlet-activation-id")!;
    await t.platform.activations.flush();
    await t.platform.recordings.flush();
    assert.equal(await t.platform.recordings.get("default", id), undefined);
    const activation = await t.call("GET", `/v1/accounts/default/activations/${id}`);
    const line = activation.body.logs.find((l: { msg: string }) =>
      l.msg.startsWith("not recorded for replay"),
    );
    assert.ok(line, JSON.stringify(activation.body.logs));
    assert.equal(line.level, "warn");
    assert.match(line.msg, /recording cap \(at fetch GET http:\/\/api\.test\.example/);
    const replay = await t.call("POST", `/v1/accounts/default/activations/${id}/replay`, { version: 1 });
    assert.equal(replay.body.error.code, "RUNLET_ERR_NOT_RECORDED");
  });

  it("a small answer is kept", async () => {
    const res = await t.invoke("download", { url: `http://api.test.example:${remote.port}/big?bytes=10` });
    await t.platform.recordings.flush();
    assert.ok(await t.platform.recordings.get("default", res.headers.get("x-runlet-activation-id")!));
  });
});
