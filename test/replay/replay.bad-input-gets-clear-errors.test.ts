import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("replay and record: bad input gets a status, a code and what to send instead", () => {
  let t: TestPlatform;
  let plain: string;
  let recorded: string;
  before(async () => {
    t = await startPlatform();
    await t.deploy("plain", `export default async () => 1`);
    await t.deploy("kept", `export default async () => 2`, { record: { sample: 1 } });
    plain = (await t.invoke("plain")).headers.get("x-runlet-activation-id")!;
    recorded = (await t.invoke("kept")).headers.get("x-runlet-activation-id")!;
    await t.platform.activations.flush();
    await t.platform.recordings.flush();
  });
  after(() => t.close());

  it("an activation that was not recorded: 404 RUNLET_ERR_NOT_RECORDED saying to enable record", async () => {
    const res = await t.call("POST", `/v1/accounts/default/activations/${plain}/replay`, { version: 1 });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_NOT_RECORDED");
    assert.match(
      res.body.error.message,
      /enable record in plain's config.*"record": \{"sample": 1, "days": 7\}/,
    );
    assert.match(res.body.error.message, /runlet deploy plain/);
  });

  it("an activation that does not exist, or a version that was never kept: 404 with their codes", async () => {
    const missing = await t.call("POST", "/v1/accounts/default/activations/act_nope/replay", { version: 1 });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "RUNLET_ERR_ACTIVATION_NOT_FOUND");
    const version = await t.call("POST", `/v1/accounts/default/activations/${recorded}/replay`, {
      version: 9,
    });
    assert.equal(version.status, 404);
    assert.equal(version.body.error.code, "RUNLET_ERR_VERSION_NOT_FOUND");
    assert.match(version.body.error.message, /runlet versions kept/);
    const batch = await t.call("POST", "/v1/accounts/default/functions/kept/replay", {
      version: 1,
      last: 500,
    });
    assert.equal(batch.status, 400);
    assert.equal(batch.body.error.code, "RUNLET_ERR_BAD_REQUEST");
  });

  it("record.sample outside 0.01–1 or record.days outside 1–30: 400 RUNLET_ERR_INVALID_CONFIG", async () => {
    for (const record of [{ sample: 0 }, { sample: 1.5 }, { sample: 0.5, days: 90 }]) {
      const res = await t.call("PUT", "/v1/accounts/default/functions/kept", {
        source: "export default async () => 3",
        record,
      });
      assert.equal(res.status, 400, JSON.stringify(record));
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_CONFIG");
      assert.match(
        res.body.error.message,
        /record\.(sample must be a number from 0\.01 to 1|days must be an integer from 1 to 30)/,
      );
    }
  });

  it("an invoker key may not replay", async () => {
    const key = (await t.call("POST", "/v1/accounts/default/keys", { name: "inv", role: "invoker" })).body
      .key;
    const res = await t.call(
      "POST",
      `/v1/accounts/default/activations/${recorded}/replay`,
      { version: 1 },
      { key },
    );
    assert.equal(res.status, 403);
  });
});
