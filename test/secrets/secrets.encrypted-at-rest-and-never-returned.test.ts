import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { deployAs, keyFor } from "./accounts.js";

// Distinctive, so finding it anywhere on disk or in a log can only mean a leak.
const PLAINTEXT = "s3cr3t-plaintext-7f0a9c-never-on-disk";

describe("secrets: encrypted at rest, never returned, reachable only by the own account's functions", () => {
  let t: TestPlatform;
  const logged: string[] = [];

  before(async () => {
    t = await startPlatform();
    // Every log line the platform writes, at the most verbose level, to check no value is ever logged.
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    });
    (t.platform as { log: unknown }).log = pino({ level: "trace" }, sink);
  });
  after(() => t.close());

  it("PUT creates (201) then replaces (200); the answer and the list carry names and times only", async () => {
    const put = await t.call("PUT", "/v1/accounts/default/secrets/API_TOKEN", { value: "first" });
    assert.equal(put.status, 201, put.text);
    assert.equal(put.body.name, "API_TOKEN");
    assert.ok(!put.text.includes("first"));
    const replaced = await t.call("PUT", "/v1/accounts/default/secrets/API_TOKEN", { value: PLAINTEXT });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.createdAt, put.body.createdAt);

    const list = await t.call("GET", "/v1/accounts/default/secrets");
    assert.equal(list.status, 200);
    assert.deepEqual(Object.keys(list.body.secrets[0]).sort(), ["createdAt", "name", "updatedAt"]);
    assert.deepEqual(
      list.body.secrets.map((s: { name: string }) => s.name),
      ["API_TOKEN"],
    );
    assert.ok(!list.text.includes(PLAINTEXT));
  });

  it("the function reads and writes its own account's secrets through ctx.secrets", async () => {
    await t.deploy(
      "reader",
      `export default async (event, ctx) => {
         // Built at run time, so the value is not in the stored source either.
         await ctx.secrets.set("FROM_FUNCTION", ["writ", "ten-in", "side"].join(""));
         const token = await ctx.secrets.get("API_TOKEN");
         // Returned reversed: the activation record must not hold the plaintext either.
         return { reversed: [...token].reverse().join(""), missing: (await ctx.secrets.get("NOPE")) ?? null };
       }`,
    );
    const res = await t.invoke("reader");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { reversed: [...PLAINTEXT].reverse().join(""), missing: null });
    const names = (await t.call("GET", "/v1/accounts/default/secrets")).body.secrets.map(
      (s: { name: string }) => s.name,
    );
    assert.deepEqual(names, ["API_TOKEN", "FROM_FUNCTION"]);
    const audit = await t.call("GET", "/v1/accounts/default/audit");
    assert.equal(audit.status, 200, audit.text);
    const entry = audit.body.entries.find((e: { actor: string }) => e.actor === "function:reader");
    assert.equal(entry?.action, "secret.put");
    assert.equal(entry?.target, "FROM_FUNCTION");
    assert.ok(!audit.text.includes("side"), "the audit log never holds a value");
  });

  it("a function of another account sees none of them, and sets its own under the same name", async () => {
    const otherKey = await keyFor(t.platform, "other", "admin");
    await deployAs(
      t.call,
      "other",
      otherKey,
      "peek",
      `export default async (event, ctx) => {
         const before = await ctx.secrets.get("API_TOKEN") ?? null;
         await ctx.secrets.set("API_TOKEN", "other-account-value");
         return { before, after: await ctx.secrets.get("API_TOKEN") };
       }`,
    );
    const res = await t.call("POST", "/v1/accounts/other/functions/peek/invoke", {}, { key: otherKey });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { before: null, after: "other-account-value" });
    const mine = await t.invoke("reader");
    assert.equal(
      mine.body.reversed,
      [...PLAINTEXT].reverse().join(""),
      "the other account's write did not touch this one",
    );
    const theirs = await t.call("GET", "/v1/accounts/default/secrets", undefined, { key: otherKey });
    assert.equal(theirs.status, 403);
    assert.equal(theirs.body.error.code, "RUNLET_ERR_FORBIDDEN");
  });

  it("roles: a developer lists names but cannot set or delete; an invoker cannot even list", async () => {
    const developer = await keyFor(t.platform, "default", "developer");
    const invoker = await keyFor(t.platform, "default", "invoker");
    assert.equal(
      (await t.call("GET", "/v1/accounts/default/secrets", undefined, { key: developer })).status,
      200,
    );
    for (const [method, key] of [
      ["PUT", developer],
      ["DELETE", developer],
      ["GET", invoker],
    ] as const) {
      const route =
        method === "GET" ? "/v1/accounts/default/secrets" : "/v1/accounts/default/secrets/API_TOKEN";
      const res = await t.call(method, route, method === "PUT" ? { value: "x" } : undefined, { key });
      assert.equal(res.status, 403, `${method} ${res.text}`);
      assert.equal(res.body.error.code, "RUNLET_ERR_FORBIDDEN");
    }
  });

  it("bad names and values get clear errors; deleting twice answers 404", async () => {
    const badName = await t.call("PUT", `/v1/accounts/default/secrets/${encodeURIComponent("has space")}`, {
      value: "x",
    });
    assert.equal(badName.status, 400);
    assert.equal(badName.body.error.code, "RUNLET_ERR_INVALID_KEY");
    assert.match(badName.body.error.message, /letters, digits, _ or -/);
    const tooLong = await t.call("PUT", `/v1/accounts/default/secrets/${"a".repeat(101)}`, { value: "x" });
    assert.equal(tooLong.body.error.code, "RUNLET_ERR_INVALID_KEY");
    const big = await t.call("PUT", "/v1/accounts/default/secrets/BIG", { value: "x".repeat(10_001) });
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, "RUNLET_ERR_PAYLOAD_TOO_LARGE");
    assert.match(big.body.error.message, /10000/);
    const exact = await t.call("PUT", "/v1/accounts/default/secrets/EXACT", { value: "x".repeat(10_000) });
    assert.equal(exact.status, 201);
    const noValue = await t.call("PUT", "/v1/accounts/default/secrets/N", { secret: "x" });
    assert.equal(noValue.status, 400);

    assert.equal((await t.call("DELETE", "/v1/accounts/default/secrets/EXACT")).status, 204);
    const again = await t.call("DELETE", "/v1/accounts/default/secrets/EXACT");
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, "RUNLET_ERR_SECRET_NOT_FOUND");
  });

  it("a function passing a bad name gets an Error with the code, not a crash", async () => {
    await t.deploy(
      "bad-name",
      `export default async (event, ctx) => {
         try { await ctx.secrets.set("no spaces allowed", "v"); return "set"; }
         catch (err) { return { code: err.code, message: err.message }; }
       }`,
    );
    const res = await t.invoke("bad-name");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.code, "RUNLET_ERR_INVALID_KEY");
  });

  it("the database files hold only ciphertext, and no log line holds a value", async () => {
    await t.platform.activations.flush();
    const files = await readdir(t.dataDir);
    let scanned = 0;
    for (const file of files.filter((f) => f.startsWith("runlet.db"))) {
      const bytes = await readFile(path.join(t.dataDir, file));
      scanned += bytes.length;
      assert.equal(bytes.indexOf(PLAINTEXT), -1, `${file} contains the plaintext`);
      assert.equal(bytes.indexOf("written-inside"), -1, `${file} contains the plaintext`);
    }
    assert.ok(scanned > 0, "found the database files");
    const sealed = await t.platform.store.secrets.get("default", "API_TOKEN");
    assert.ok(sealed && !sealed.sealed.includes(PLAINTEXT) && sealed.sealed.length > 0);
    assert.ok(!logged.join("").includes(PLAINTEXT));
  });

  it("an account holds at most RUNLET_SECRETS_MAX secrets; replacing one still works", async () => {
    const small = await startPlatform({ limits: { secretsMax: 1 } });
    try {
      assert.equal((await small.call("PUT", "/v1/accounts/default/secrets/ONE", { value: "1" })).status, 201);
      const full = await small.call("PUT", "/v1/accounts/default/secrets/TWO", { value: "2" });
      assert.equal(full.status, 403);
      assert.equal(full.body.error.code, "RUNLET_ERR_QUOTA_SECRETS");
      assert.equal((await small.call("PUT", "/v1/accounts/default/secrets/ONE", { value: "3" })).status, 200);
    } finally {
      await small.close();
    }
  });
});
