import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// Plain invokes are served by src/server/fast-invoke.ts; any query string sends them through the Fastify
// route instead. Both must answer every case the same way.
describe("the invoke fast path answers exactly as the Fastify route does", () => {
  let t: TestPlatform;
  let invokerKey: string;
  before(async () => {
    t = await startPlatform();
    await t.deploy(
      "echo",
      `export default async (e) => ({ got: e.payload, h: e.headers["x-test"] ?? null })`,
    );
    await t.deploy("fails", `export default async () => { throw new Error("bad") }`);
    await t.call("PUT", "/v1/accounts/default/functions/draft", { source: "export default async () => 1" });
    invokerKey = (await t.call("POST", "/v1/accounts/default/keys", { name: "inv", role: "invoker" })).body
      .key;
  });
  after(() => t.close());

  const cases: {
    name: string;
    path: string;
    body?: string;
    headers?: Record<string, string>;
    key?: string | null;
  }[] = [
    {
      name: "success",
      path: "/v1/accounts/default/functions/echo/invoke",
      body: '{"a":1}',
      headers: { "x-test": "yes" },
    },
    { name: "empty body", path: "/v1/accounts/default/functions/echo/invoke" },
    { name: "function error", path: "/v1/accounts/default/functions/fails/invoke", body: "{}" },
    { name: "not deployed", path: "/v1/accounts/default/functions/draft/invoke", body: "{}" },
    { name: "unknown function", path: "/v1/accounts/default/functions/nope/invoke", body: "{}" },
    { name: "unknown account", path: "/v1/accounts/ghost/functions/echo/invoke", body: "{}" },
    { name: "no key", path: "/v1/accounts/default/functions/echo/invoke", body: "{}", key: null },
    { name: "bad key", path: "/v1/accounts/default/functions/echo/invoke", body: "{}", key: "rlk_wrong" },
    { name: "invalid JSON", path: "/v1/accounts/default/functions/echo/invoke", body: "{oops" },
    {
      name: "too large",
      path: "/v1/accounts/default/functions/echo/invoke",
      body: JSON.stringify("x".repeat(6 * 1024 * 1024 + 1)),
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const opts = { headers: c.headers ?? {}, ...(c.key !== undefined ? { key: c.key } : {}) };
      const fast = await t.call("POST", c.path, c.body, opts);
      const routed = await t.call("POST", `${c.path}?through=fastify`, c.body, opts);
      assert.equal(fast.status, routed.status, `${fast.text} vs ${routed.text}`);
      if (fast.status >= 400) {
        assert.equal(fast.body.error.code, routed.body.error.code);
        assert.equal(typeof fast.body.error.message, "string");
      } else {
        assert.deepEqual(fast.body, routed.body);
      }
      assert.equal(fast.headers.get("content-type"), routed.headers.get("content-type"));
      assert.equal(
        Boolean(fast.headers.get("x-runlet-activation-id")),
        Boolean(routed.headers.get("x-runlet-activation-id")),
      );
    });
  }

  it("an invoker key works on both paths", async () => {
    const fast = await t.invoke("echo", { n: 1 }, { key: invokerKey });
    const routed = await t.call(
      "POST",
      "/v1/accounts/default/functions/echo/invoke?x=1",
      { n: 1 },
      { key: invokerKey },
    );
    assert.equal(fast.status, 200);
    assert.deepEqual(fast.body, routed.body);
  });
});
