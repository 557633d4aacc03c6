import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// Each version names the key (or the token's key) that uploaded it and that last deployed it.
for (const store of ["sqlite", "postgres"] as const) {
  describe(`version list: who and when (${store})`, () => {
    let t: TestPlatform;
    let schema: FreshSchema | undefined;
    let dev: { id: string; key: string };
    let ci: { id: string; key: string };

    before(async () => {
      schema = store === "postgres" ? await freshSchema() : undefined;
      t = await startPlatform(schema ? { databaseUrl: schema.url } : {});
      dev = (
        await t.call("POST", `/v1/accounts/${t.account}/keys`, { name: "alice laptop", role: "developer" })
      ).body;
      ci = (await t.call("POST", `/v1/accounts/${t.account}/keys`, { name: "ci", role: "developer" })).body;
    });
    after(async () => {
      await t.close();
      await schema?.drop();
    });

    it("names the uploader and the last deployer of each version, by key id and name", async () => {
      const put = (n: number, deploy: boolean) =>
        t.call(
          "PUT",
          `/v1/accounts/${t.account}/functions/f${deploy ? "?deploy=true" : ""}`,
          { source: `export default async () => ${n}` },
          { key: dev.key },
        );
      assert.equal((await put(1, true)).status, 201);
      assert.equal((await put(2, false)).status, 201);
      // ci deploys v2 with an access token (OAuth2 client credentials).
      const token = await t.call(
        "POST",
        "/v1/oauth/token",
        {
          grant_type: "client_credentials",
          client_id: ci.id,
          client_secret: ci.key,
        },
        { key: null },
      );
      assert.equal(token.status, 200, token.text);
      const deployed = await t.call(
        "POST",
        `/v1/accounts/${t.account}/functions/f/deploy`,
        { version: 2 },
        { key: token.body.access_token },
      );
      assert.equal(deployed.status, 200, deployed.text);

      const res = await t.call("GET", `/v1/accounts/${t.account}/functions/f/versions`);
      assert.equal(res.status, 200, res.text);
      const [v2, v1] = res.body.versions;
      assert.deepEqual(v1.createdBy, { actor: `key:${dev.id}`, keyName: "alice laptop" });
      assert.deepEqual(v1.deployedBy, { actor: `key:${dev.id}`, keyName: "alice laptop" });
      assert.equal(v1.deployed, false);
      assert.deepEqual(v2.createdBy, { actor: `key:${dev.id}`, keyName: "alice laptop" });
      assert.deepEqual(v2.deployedBy, { actor: `token:${ci.id}`, keyName: "ci" });
      assert.equal(v2.deployed, true);
      assert.ok(Date.parse(v2.deployedAt) >= Date.parse(v2.createdAt));

      // The function's own view lists the same.
      const fn = await t.call("GET", `/v1/accounts/${t.account}/functions/f`);
      assert.deepEqual(fn.body.versions, res.body.versions);
    });

    it("a version never deployed has no deployer", async () => {
      await t.call(
        "PUT",
        `/v1/accounts/${t.account}/functions/g`,
        { source: "export default async () => 1" },
        { key: dev.key },
      );
      const [g1] = (await t.call("GET", `/v1/accounts/${t.account}/functions/g/versions`)).body.versions;
      assert.equal(g1.deployedAt, null);
      assert.equal(g1.deployedBy, null);
    });
  });
}
