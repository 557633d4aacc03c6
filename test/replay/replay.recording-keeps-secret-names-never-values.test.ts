import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("a recording keeps the names of the secrets a function used, never their values", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.call("PUT", "/v1/accounts/default/secrets/DB_PASSWORD", { value: "hunter2-very-secret" });
  });
  after(() => t.close());

  it("secrets.get and secrets.set are kept by name; a replay reads the value again and writes nothing", async () => {
    await t.deploy(
      "rotate",
      `export default async (_e, ctx) => {
         const old = await ctx.secrets.get("DB_PASSWORD");
         await ctx.secrets.set("DB_PASSWORD_NEXT", "new-value-also-secret");
         return { length: old.length };
       }`,
      { record: { sample: 1 } },
    );
    const id = (await t.invoke("rotate")).headers.get("x-runlet-activation-id")!;
    await t.platform.recordings.flush();
    const recording = await t.platform.recordings.get("default", id);
    assert.ok(recording);
    assert.deepEqual(
      recording.calls.map((c) => [c.what, c.secret, c.answer]),
      [
        ["ctx.secrets.get DB_PASSWORD", true, undefined],
        ["ctx.secrets.set DB_PASSWORD_NEXT", true, undefined],
      ],
    );
    const stored = JSON.stringify(recording);
    assert.ok(!stored.includes("hunter2") && !stored.includes("new-value"), stored);

    await t.call("DELETE", "/v1/accounts/default/secrets/DB_PASSWORD_NEXT");
    const res = await t.call("POST", `/v1/accounts/default/activations/${id}/replay`, { version: 1 });
    assert.equal(res.body.verdict, "same", res.text);
    assert.equal(res.body.replayed.result.length, "hunter2-very-secret".length);
    assert.equal(await t.platform.secrets.get("default", "DB_PASSWORD_NEXT"), undefined);
  });
});
