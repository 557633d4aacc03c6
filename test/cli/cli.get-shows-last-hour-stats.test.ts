import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeApi, run, tempDir } from "./helpers.js";

const fn = {
  name: "hello",
  state: "deployed",
  deployedVersion: 1,
  latestVersion: 1,
  style: "event",
  createdAt: Date.now(),
  updatedAt: Date.now(),
  config: { timeoutMs: 30000 },
  versions: [{ version: 1 }],
};

test("get prints the last hour's invocations by status and p50/p99", async () => {
  const lastHour = {
    since: new Date().toISOString(),
    byStatus: { function_error: 2, succeeded: 10 },
    invocations: 12,
    p50Ms: 0.42,
    p99Ms: 41.2,
  };
  const api = await fakeApi({
    "GET /v1/accounts/acme/functions/hello": () => ({ json: { ...fn, stats: { lastHour } } }),
  });
  const { code, stdout } = await run(["get", "hello"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 0);
  assert.match(
    stdout,
    /\nlast 1h {3}12 invocations \(10 succeeded, 2 function_error\), p50 0\.4 ms, p99 41 ms\n/,
  );
  const json = await run(["get", "hello", "--json"], { cwd: tempDir(), env: api.env });
  assert.deepEqual(JSON.parse(json.stdout).stats.lastHour, lastHour);
});

test("get says so when the function had no invocations in the last hour", async () => {
  const lastHour = { byStatus: {}, invocations: 0, p50Ms: null, p99Ms: null };
  const api = await fakeApi({
    "GET /v1/accounts/acme/functions/hello": () => ({ json: { ...fn, stats: { lastHour } } }),
  });
  const { stdout } = await run(["get", "hello"], { cwd: tempDir(), env: api.env });
  assert.match(stdout, /\nlast 1h {3}no invocations\n/);
});
