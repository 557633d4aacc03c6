import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { keyFor } from "../secrets/accounts.js";

const ROUTE = "/v1/accounts/default/allowlist";

describe("allowlist API", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
  });
  after(() => t.close());

  it("starts empty, then PUT replaces it with the normalised entries", async () => {
    const empty = await t.call("GET", ROUTE);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, { domains: [], updatedAt: null });
    const put = await t.call("PUT", ROUTE, {
      domains: ["API.Example.com", "*.example.org", "api.example.com"],
    });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.domains, ["api.example.com", "*.example.org"]);
    const read = await t.call("GET", ROUTE);
    assert.deepEqual(read.body.domains, ["api.example.com", "*.example.org"]);
    assert.ok(Date.parse(read.body.updatedAt) > 0);
  });

  it("refuses bad entries with a message naming the entry, and keeps the old list", async () => {
    for (const entry of [
      "http://x.example.com",
      "x.example.com:8080",
      "10.0.0.1",
      "*.com",
      "a b.example.com",
    ]) {
      const res = await t.call("PUT", ROUTE, { domains: [entry] });
      assert.equal(res.status, 400, entry);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_ALLOWLIST", entry);
      assert.ok(res.body.error.message.includes(JSON.stringify(entry)), res.body.error.message);
    }
    assert.equal((await t.call("PUT", ROUTE, { hosts: [] })).status, 400);
    assert.equal((await t.call("PUT", ROUTE, { domains: [5] })).status, 400);
    assert.deepEqual((await t.call("GET", ROUTE)).body.domains, ["api.example.com", "*.example.org"]);
  });

  it("developers read it, only admins change it, other accounts neither", async () => {
    const developer = await keyFor(t.platform, "default", "developer");
    const stranger = await keyFor(t.platform, "stranger", "admin");
    assert.equal((await t.call("GET", ROUTE, undefined, { key: developer })).status, 200);
    assert.equal((await t.call("PUT", ROUTE, { domains: [] }, { key: developer })).status, 403);
    assert.equal((await t.call("GET", ROUTE, undefined, { key: stranger })).status, 403);
    assert.equal((await t.call("PUT", ROUTE, { domains: [] }, { key: stranger })).status, 403);
  });
});
