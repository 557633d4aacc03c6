import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { deployAs, keyFor } from "../secrets/accounts.js";

const KV = "/v1/accounts/default/kv";

describe("kv: ctx.kv and the kv API read and write the same entries, per account", () => {
  let t: TestPlatform;

  before(async () => {
    t = await startPlatform();
    await t.deploy(
      "store",
      `export default async ({ payload }, ctx) => {
         const ns = payload.ns ? ctx.kv.namespace(payload.ns) : ctx.kv;
         switch (payload.op) {
           case "set": return await ns.set(payload.key, payload.value, payload.ttlSeconds ? { ttlSeconds: payload.ttlSeconds } : {}) ?? "ok";
           case "get": return (await ns.get(payload.key)) ?? "<undefined>";
           case "delete": return await ns.delete(payload.key);
           case "list": return await ns.list(payload.options);
           case "try": try { await ns.set(payload.key, payload.value); return "stored"; } catch (err) { return { code: err.code, message: err.message }; }
         }
       }`,
    );
  });
  after(() => t.close());
  const fn = async (payload: Record<string, unknown>) => {
    const res = await t.invoke("store", payload);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };

  it("a value set by a function is read through the API, and the other way round", async () => {
    assert.equal(await fn({ op: "set", key: "user:1", value: { name: "Ada", tags: ["x"] } }), "ok");
    const read = await t.call("GET", `${KV}/default/user:1`);
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.body, { name: "Ada", tags: ["x"] });

    const put = await t.call("PUT", `${KV}/cache/${encodeURIComponent("a/b ü")}`, [1, 2, 3]);
    assert.equal(put.status, 201, put.text);
    assert.equal(put.body.key, "a/b ü");
    assert.equal(put.body.expiresAt, null);
    assert.deepEqual(await fn({ op: "get", ns: "cache", key: "a/b ü" }), [1, 2, 3]);
    assert.equal((await t.call("PUT", `${KV}/cache/${encodeURIComponent("a/b ü")}`, 7)).status, 200);
    assert.equal(await fn({ op: "get", ns: "cache", key: "a/b ü" }), 7);
    // Namespaces are separate.
    assert.equal(await fn({ op: "get", key: "a/b ü" }), "<undefined>");
  });

  it("lists keys by prefix, page by page, from a function and through the API", async () => {
    for (const key of ["p:3", "p:1", "p:2", "q:1"]) await fn({ op: "set", ns: "pages", key, value: key });
    const first = await fn({ op: "list", ns: "pages", options: { prefix: "p:", limit: 2 } });
    assert.deepEqual(first.keys, ["p:1", "p:2"]);
    assert.ok(first.next);
    const second = await fn({
      op: "list",
      ns: "pages",
      options: { prefix: "p:", limit: 2, cursor: first.next },
    });
    assert.deepEqual(second, { keys: ["p:3"] });

    const api = await t.call("GET", `${KV}/pages?prefix=p:&limit=2`);
    assert.equal(api.status, 200, api.text);
    assert.deepEqual(
      api.body.keys.map((k: { key: string }) => k.key),
      ["p:1", "p:2"],
    );
    const next = await t.call("GET", `${KV}/pages?prefix=p:&limit=2&cursor=${api.body.next}`);
    assert.deepEqual(
      next.body.keys.map((k: { key: string }) => k.key),
      ["p:3"],
    );
    assert.equal(next.body.next, undefined);
  });

  it("a TTL sets expiresAt; once it passes the entry is gone for reads, lists and deletes, then purged", async () => {
    const put = await t.call("PUT", `${KV}/ttl/soon?ttlSeconds=60`, JSON.stringify("v"));
    assert.equal(put.status, 201, put.text);
    const expiresAt = Date.parse(put.body.expiresAt);
    assert.ok(expiresAt > Date.now() + 50_000 && expiresAt <= Date.now() + 60_000);
    assert.equal(
      (await t.call("GET", `${KV}/ttl/soon`)).headers.get("x-runlet-expires-at"),
      put.body.expiresAt,
    );
    await fn({ op: "set", ns: "ttl", key: "fn-ttl", value: 1, ttlSeconds: 3600 });
    assert.ok(
      (await t.platform.store.kv.get("default", "ttl", "fn-ttl", Date.now()))!.expiresAt! > Date.now(),
    );

    // Move the expiry into the past rather than waiting for it.
    const entry = (await t.platform.store.kv.get("default", "ttl", "soon", Date.now()))!;
    await t.platform.store.kv.set({ ...entry, expiresAt: Date.now() - 1 });
    const gone = await t.call("GET", `${KV}/ttl/soon`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, "RUNLET_ERR_KV_KEY_NOT_FOUND");
    assert.equal(await fn({ op: "get", ns: "ttl", key: "soon" }), "<undefined>");
    assert.deepEqual((await fn({ op: "list", ns: "ttl" })).keys, ["fn-ttl"]);
    assert.equal((await t.call("DELETE", `${KV}/ttl/soon`)).status, 404);
    assert.ok((await t.platform.kv.purgeExpired()) >= 1);
    assert.equal(await t.platform.store.kv.get("default", "ttl", "soon", 0), undefined);
  });

  it("delete answers whether something was there", async () => {
    await fn({ op: "set", key: "doomed", value: true });
    assert.equal(await fn({ op: "delete", key: "doomed" }), true);
    assert.equal(await fn({ op: "delete", key: "doomed" }), false);
    await t.call("PUT", `${KV}/default/doomed`, true);
    assert.equal((await t.call("DELETE", `${KV}/default/doomed`)).status, 204);
    assert.equal((await t.call("DELETE", `${KV}/default/doomed`)).status, 404);
  });

  it("another account's function and keys see none of this account's entries", async () => {
    const otherKey = await keyFor(t.platform, "neighbour", "admin");
    await deployAs(
      t.call,
      "neighbour",
      otherKey,
      "peek",
      `export default async (event, ctx) => {
         const before = (await ctx.kv.get("user:1")) ?? null;
         await ctx.kv.set("user:1", "theirs");
         return { before, list: await ctx.kv.list(), after: await ctx.kv.get("user:1") };
       }`,
    );
    const res = await t.call("POST", "/v1/accounts/neighbour/functions/peek/invoke", {}, { key: otherKey });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { before: null, list: { keys: ["user:1"] }, after: "theirs" });
    assert.deepEqual(await fn({ op: "get", key: "user:1" }), { name: "Ada", tags: ["x"] });
    const denied = await t.call("GET", `${KV}/default/user:1`, undefined, { key: otherKey });
    assert.equal(denied.status, 403);
  });

  it("roles: a developer reads but cannot write; an invoker cannot read", async () => {
    const developer = await keyFor(t.platform, "default", "developer");
    const invoker = await keyFor(t.platform, "default", "invoker");
    assert.equal((await t.call("GET", `${KV}/default/user:1`, undefined, { key: developer })).status, 200);
    assert.equal((await t.call("GET", `${KV}/default`, undefined, { key: developer })).status, 200);
    assert.equal((await t.call("PUT", `${KV}/default/x`, 1, { key: developer })).status, 403);
    assert.equal((await t.call("DELETE", `${KV}/default/user:1`, undefined, { key: developer })).status, 403);
    assert.equal((await t.call("GET", `${KV}/default/user:1`, undefined, { key: invoker })).status, 403);
  });

  it("bad names, big values and bad TTLs get clear errors, from the API and inside the function", async () => {
    const badNs = await t.call("PUT", `${KV}/${encodeURIComponent("bad ns")}/k`, 1);
    assert.equal(badNs.status, 400);
    assert.equal(badNs.body.error.code, "RUNLET_ERR_INVALID_KEY");
    assert.match(badNs.body.error.message, /namespace/);
    const longKey = await t.call("PUT", `${KV}/default/${"k".repeat(513)}`, 1);
    assert.equal(longKey.body.error.code, "RUNLET_ERR_INVALID_KEY");
    assert.match(longKey.body.error.message, /512/);
    const control = await t.call("PUT", `${KV}/default/${encodeURIComponent("a\nb")}`, 1);
    assert.equal(control.body.error.code, "RUNLET_ERR_INVALID_KEY");
    const big = await t.call("PUT", `${KV}/default/big`, JSON.stringify("x".repeat(64 * 1024)));
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, "RUNLET_ERR_PAYLOAD_TOO_LARGE");
    const fits = await t.call("PUT", `${KV}/default/fits`, JSON.stringify("x".repeat(64 * 1024 - 2)));
    assert.equal(fits.status, 201, fits.text);
    const badTtl = await t.call("PUT", `${KV}/default/k?ttlSeconds=0`, 1);
    assert.equal(badTtl.status, 400);
    const noBody = await t.call("PUT", `${KV}/default/k`);
    assert.equal(noBody.status, 400);
    // t.call sends a string body as is: this one is not JSON.
    const notJson = await t.call("PUT", `${KV}/default/k`, "{oops");
    assert.equal(notJson.body.error.code, "RUNLET_ERR_INVALID_JSON");

    const inside = await fn({ op: "try", key: "huge", value: "x".repeat(70_000) });
    assert.equal(inside.code, "RUNLET_ERR_PAYLOAD_TOO_LARGE");
    const badKey = await fn({ op: "try", key: "", value: 1 });
    assert.equal(badKey.code, "RUNLET_ERR_INVALID_KEY");
  });

  it("an account's store holds at most RUNLET_KV_MAX_KEYS live keys; replacing one still works", async () => {
    const small = await startPlatform({ limits: { kvMaxKeys: 2 } });
    try {
      const put = (key: string) => small.call("PUT", `${KV}/q/${key}`, 1);
      assert.equal((await put("a")).status, 201);
      assert.equal((await put("b")).status, 201);
      const full = await put("c");
      assert.equal(full.status, 403);
      assert.equal(full.body.error.code, "RUNLET_ERR_QUOTA_KV");
      assert.match(full.body.error.message, /holds 2 keys/);
      assert.equal((await put("a")).status, 200, "replacing an existing key is not a new key");
      assert.equal((await small.call("DELETE", `${KV}/q/b`)).status, 204);
      assert.equal((await put("c")).status, 201);
    } finally {
      await small.close();
    }
  });
});
