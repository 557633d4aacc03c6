import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { bundleFunction } from "../../src/cli/bundle.js";
import { CliError } from "../../src/cli/cli-error.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

/** An HS256 JSON Web Token, made with node's crypto (what jsonwebtoken must produce and accept). */
function hs256(claims: object, secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

const REPO_MODULES = path.resolve(import.meta.dirname, "../../node_modules");

/** A function folder of its own, its dependencies installed (linked from the repo's node_modules). */
function project(files: Record<string, string>, packages: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), "runlet-compat-"));
  mkdirSync(path.join(dir, "node_modules", "@octokit"), { recursive: true });
  for (const name of packages)
    symlinkSync(path.join(REPO_MODULES, name), path.join(dir, "node_modules", name));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const APP = `
import _ from "lodash";
import { DateTime } from "luxon";
import jwt from "jsonwebtoken";
import { request } from "@octokit/request";

export default async function (event: { payload: { name: string; token: string } }) {
  const token = jwt.sign({ sub: event.payload.name }, "s3cret", { algorithm: "HS256", noTimestamp: true });
  const claims = jwt.verify(event.payload.token, "s3cret") as { sub: string };
  let forged = "";
  try { jwt.verify(token, "wrong secret"); } catch (err) { forged = (err as Error).message; }
  const repo = await request("GET /repos/{owner}/{repo}", { owner: "octo", repo: "hello", headers: { authorization: "token t0k" } });
  return {
    chunks: _.chunk([1, 2, 3, 4, 5], 2),
    grouped: _.groupBy(["one", "two", "three"], "length"),
    date: DateTime.fromISO("2024-02-28T23:30:00Z", { zone: "utc" }).plus({ days: 1 }).toISODate(),
    zoned: DateTime.fromISO("2024-07-01T12:00:00Z").setZone("Europe/Berlin").toFormat("HH:mm"),
    token, sub: claims.sub, forged,
    repo: { status: repo.status, name: (repo.data as { name: string }).name },
  };
}
`;

const BUILTINS = `
import { Buffer } from "node:buffer";
import { EventEmitter } from "events";
import util from "util";
import path from "path";
import url from "url";
import qs from "querystring";
import { StringDecoder } from "string_decoder";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "crypto";

export default async function () {
  const emitter = new EventEmitter();
  let heard = "";
  emitter.once("x", (v) => (heard = v));
  emitter.emit("x", "event!");
  const decoder = new StringDecoder("utf8");
  const euro = Buffer.from("€");
  return {
    base64: Buffer.from("hi there").toString("base64"),
    hex: Buffer.from([1, 255]).toString("hex"),
    globalBuffer: typeof Buffer.concat === "function" && Buffer.isBuffer(Buffer.alloc(1)),
    heard,
    format: util.format("%s=%d", "n", 42),
    inspect: typeof util.inspect,
    joined: path.join("/a", "b", "../c"),
    ext: path.extname("x/y.tar.gz"),
    host: url.parse("http://user@host.example:8080/p?q=1").host,
    whatwg: new url.URL("/x", "https://e.example").href,
    query: qs.stringify({ a: [1, 2], b: "x y" }),
    parsedQuery: qs.parse("a=1&a=2&b=x%20y"),
    decoded: decoder.write(euro.subarray(0, 1)) + decoder.write(euro.subarray(1)),
    sha256: createHash("sha256").update("abc").digest("hex"),
    hmac: createHmac("sha1", "key").update("data").digest("base64"),
    random: randomBytes(16).length,
    equal: timingSafeEqual(Buffer.from("ab"), Buffer.from("ab")),
    env: process.env.NODE_ENV,
  };
}
`;

describe("Node compatibility: bundled npm packages deploy and run; host-only modules are refused at deploy", () => {
  let t: TestPlatform;
  const dirs: string[] = [];
  const fetched: { url: string; headers: [string, string][] }[] = [];

  before(async () => {
    t = await startPlatform();
    // The SDK's HTTP call goes through the sandbox's fetch; this stands in for api.github.com.
    t.platform.ops.register("fetch", async (_caller, args) => {
      const a = args as { url: string; headers: [string, string][] };
      fetched.push(a);
      const body = Buffer.from(JSON.stringify({ name: "hello", full_name: "octo/hello" }));
      return {
        status: 200,
        statusText: "OK",
        headers: [["content-type", "application/json; charset=utf-8"]],
        body: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
        url: a.url,
        redirected: false,
      };
    });
  });
  after(async () => {
    await t.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("lodash, luxon, jsonwebtoken and an HTTP-API SDK (@octokit/request) bundle, deploy and run", async () => {
    const dir = project({ "index.ts": APP }, ["lodash", "luxon", "jsonwebtoken", "@octokit/request"]);
    dirs.push(dir);
    // @octokit/request's own dependencies live beside it in the repo's node_modules (found through the link).
    const bundle = await bundleFunction(path.join(dir, "index.ts"), dir);
    await t.deploy("app", bundle.code);
    const token = hs256({ sub: "grace", iat: Math.floor(Date.now() / 1000) }, "s3cret");
    const res = await t.invoke("app", { name: "ada", token });
    assert.equal(res.status, 200, res.text);
    const out = res.body;
    assert.deepEqual(out.chunks, [[1, 2], [3, 4], [5]]);
    assert.deepEqual(out.grouped, { 3: ["one", "two"], 5: ["three"] });
    assert.equal(out.date, "2024-02-29");
    assert.equal(out.zoned, "14:00");
    assert.equal(out.token, hs256({ sub: "ada" }, "s3cret"));
    assert.equal(out.sub, "grace");
    assert.equal(out.forged, "invalid signature");
    assert.deepEqual(out.repo, { status: 200, name: "hello" });
    const call = fetched.at(-1)!;
    assert.equal(call.url, "https://api.github.com/repos/octo/hello");
    assert.ok(call.headers.some(([k, v]) => k === "authorization" && v === "token t0k"));
  });

  it("buffer, events, util, path, url, querystring, string_decoder and crypto work in raw uploads too", async () => {
    await t.deploy("builtins", BUILTINS);
    const res = await t.invoke("builtins");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      base64: Buffer.from("hi there").toString("base64"),
      hex: "01ff",
      globalBuffer: true,
      heard: "event!",
      format: "n=42",
      inspect: "function",
      joined: "/a/c",
      ext: ".gz",
      host: "host.example:8080",
      whatwg: "https://e.example/x",
      query: "a=1&a=2&b=x%20y",
      parsedQuery: { a: ["1", "2"], b: "x y" },
      decoded: "€",
      sha256: createHash("sha256").update("abc").digest("hex"),
      hmac: createHmac("sha1", "key").update("data").digest("base64"),
      random: 16,
      equal: true,
      env: "production",
    });
  });

  for (const [module, source] of [
    [
      "fs",
      `import { readFileSync } from "node:fs"; export default () => readFileSync("/etc/passwd", "utf8");`,
    ],
    ["child_process", `import cp from "child_process"; export default () => cp.execSync("id");`],
    ["net", `const net = require("net"); export default () => net.connect(80, "example.com");`],
  ] as const) {
    it(`a function needing "${module}" is refused at deploy, naming it`, async () => {
      const res = await t.call(
        "PUT",
        `/v1/accounts/${t.account}/functions/uses-${module.replace("_", "-")}`,
        {
          source,
        },
      );
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_COMPILE");
      assert.match(res.body.error.message, new RegExp(`"${module}".*not available in Runlet's sandbox`));
    });
  }

  it("runlet deploy refuses a dependency that needs fs or a native addon, naming the module and the package", async () => {
    const dir = project({
      "index.ts": `import store from "disk-store"; import fast from "fast-native"; export default () => [store, fast];`,
      "node_modules/disk-store/package.json": `{"name":"disk-store","main":"index.js"}`,
      "node_modules/disk-store/index.js": `const fs = require("fs"); module.exports = () => fs.readFileSync("x");`,
      "node_modules/fast-native/package.json": `{"name":"fast-native","main":"index.js"}`,
      "node_modules/fast-native/index.js": `module.exports = require("./build/Release/fast.node");`,
      "node_modules/fast-native/build/Release/fast.node": "\u007fELF",
    });
    dirs.push(dir);
    await assert.rejects(bundleFunction(path.join(dir, "index.ts"), dir), (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.equal(err.code, "RUNLET_ERR_COMPILE");
      assert.match(
        err.message,
        /the Node\.js module "fs" \(imported by node_modules\/disk-store\/index\.js\)/,
      );
      assert.match(err.message, /native addon node_modules\/fast-native\/build\/Release\/fast\.node/);
      return true;
    });
  });
});
