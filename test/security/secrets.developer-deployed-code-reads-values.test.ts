import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// docs/access.md states the real rule: the API shows a developer secret names only, but code a developer
// deploys reads and writes every secret of the account. This test keeps the docs and the code in step.
describe("secrets and the developer role, as docs/access.md states it", () => {
  let t: TestPlatform;
  let developer: string;
  const as = (key: string) => ({ key });

  before(async () => {
    t = await startPlatform();
    developer = (await t.call("POST", "/v1/accounts/default/keys", { name: "dev", role: "developer" })).body
      .key as string;
    const put = await t.call("PUT", "/v1/accounts/default/secrets/API_TOKEN", { value: "s3cr3t" });
    assert.equal(put.status, 201, put.text);
  });
  after(() => t.close());

  it("through the API a developer lists names only and cannot write", async () => {
    const list = await t.call("GET", "/v1/accounts/default/secrets", undefined, as(developer));
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.body.secrets.map((s: { name: string }) => s.name),
      ["API_TOKEN"],
    );
    assert.doesNotMatch(list.text, /s3cr3t/);
    const put = await t.call("PUT", "/v1/accounts/default/secrets/API_TOKEN", { value: "x" }, as(developer));
    assert.equal(put.status, 403, put.text);
    assert.equal(put.body.error.code, "RUNLET_ERR_FORBIDDEN");
  });

  it("code a developer deploys reads the value and can write a secret", async () => {
    const deploy = await t.call(
      "PUT",
      "/v1/accounts/default/functions/peek?deploy=true",
      {
        source: `export default async (e, ctx) => {
          await ctx.secrets.set("WRITTEN_BY_CODE", "yes");
          return ctx.secrets.get("API_TOKEN");
        }`,
      },
      as(developer),
    );
    assert.ok(deploy.status === 200 || deploy.status === 201, deploy.text);
    const res = await t.call("POST", "/v1/accounts/default/functions/peek/invoke", {}, as(developer));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, "s3cr3t");
    const list = await t.call("GET", "/v1/accounts/default/secrets", undefined, as(developer));
    assert.ok(list.body.secrets.some((s: { name: string }) => s.name === "WRITTEN_BY_CODE"));
  });
});
