import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("deploy rejects code that cannot run, saying where and how to fix it", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
  });
  after(() => t.close());

  const put = (name: string, body: unknown) =>
    t.call("PUT", `/v1/accounts/default/functions/${name}?deploy=true`, body);

  it("a syntax error → 400 RUNLET_ERR_COMPILE with file:line:column", async () => {
    const res = await put("broken", {
      source: "export default async function () {\n  return {\n    a: 1 +\n  };\n}\n",
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "RUNLET_ERR_COMPILE");
    assert.match(res.body.error.message, /^index\.ts:4:\d+: /);
    const missing = await t.call("GET", "/v1/accounts/default/functions/broken");
    assert.equal(missing.status, 404, "nothing was stored");
  });

  it("a TypeScript syntax error in one of several files names that file", async () => {
    const res = await put("multi", {
      files: {
        "index.ts": `import { f } from "./lib";\nexport default async () => f();`,
        "lib.ts": "export const f = () => {{;",
      },
      entry: "index.ts",
    });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /^lib\.ts:1:\d+/);
  });

  it("several files with an entry bundle and run", async () => {
    const res = await put("multi-ok", {
      files: {
        "index.ts": `import { f } from "./lib/util";\nexport default async () => f(2);`,
        "lib/util.ts": "export const f = (n: number) => n * 21;",
      },
      entry: "index.ts",
    });
    assert.equal(res.status, 201, res.text);
    assert.equal((await t.invoke("multi-ok")).body, 42);
  });

  it("a module with no handler of a known style → 400 RUNLET_ERR_NO_HANDLER naming what it found", async () => {
    for (const source of [
      `export const handler = 1;`,
      `export default 42;`,
      `export default { get() {} };`,
      `function notLambda() {}`,
    ]) {
      const res = await put("nohandler", { source });
      assert.equal(res.status, 400, source);
      assert.equal(res.body.error.code, "RUNLET_ERR_NO_HANDLER");
      assert.match(res.body.error.message, /no handler found/);
    }
  });

  it("a module that throws while loading → 400 RUNLET_ERR_MODULE_INIT", async () => {
    const res = await put("throws-at-load", {
      source: `throw new Error("bad config"); export default async () => 1;`,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "RUNLET_ERR_MODULE_INIT");
    assert.match(res.body.error.message, /bad config/);
  });

  it("importing an npm package the upload does not contain says to bundle with runlet deploy", async () => {
    const res = await put("needs-dep", {
      source: `import _ from "lodash"; export default async () => _.chunk([1, 2], 1);`,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "RUNLET_ERR_COMPILE");
    assert.match(res.body.error.message, /lodash.*runlet deploy/);
  });

  it("invalid function names → 400 RUNLET_ERR_INVALID_NAME", async () => {
    for (const name of ["Upper", "9lives", "with_underscore", "a".repeat(64)]) {
      const res = await put(name, { source: "export default async () => 1" });
      assert.equal(res.status, 400, name);
      assert.match(res.body.error.code, /RUNLET_ERR_(INVALID_NAME|BAD_REQUEST)/);
    }
  });

  it("config out of range, unknown fields and a missing source → 400", async () => {
    const tooLong = await put("cfg", { source: "export default async () => 1", timeoutMs: 10_000_000 });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error.code, "RUNLET_ERR_INVALID_CONFIG");
    assert.match(tooLong.body.error.message, /timeoutMs/);
    const unknown = await put("cfg", { source: "export default async () => 1", timout: 5 });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, "RUNLET_ERR_BAD_REQUEST");
    const empty = await put("cfg", {});
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /source/);
  });

  it("code over the bundle limit → 413", async () => {
    const res = await put("too-big", {
      source: `export default async () => "${"x".repeat(10 * 1024 * 1024 + 10)}"`,
    });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "RUNLET_ERR_PAYLOAD_TOO_LARGE");
  });
});
