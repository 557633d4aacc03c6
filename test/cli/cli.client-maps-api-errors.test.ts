import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { apiError, fakeApi, run, tempDir } from "./helpers.js";

const FN = "/v1/accounts/acme/functions/hello";

test("requests carry the bearer key and go under the account's path", async () => {
  const api = await fakeApi({
    "GET /v1/accounts/acme/functions": () => ({ json: { functions: [] } }),
  });
  const { code } = await run(["list"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 0);
  assert.equal(api.requests[0]?.headers.authorization, "Bearer rk_test");
});

test("an API error body becomes `runlet: <message>` with a hint in CLI terms, exit 1", async () => {
  const api = await fakeApi({
    [`GET ${FN}`]: () => apiError(404, "RUNLET_ERR_FUNCTION_NOT_FOUND", "function hello does not exist"),
  });
  const { code, stdout, stderr } = await run(["get", "hello"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(
    stderr,
    /^runlet: function hello does not exist\n {2}hint: list the account's functions with runlet list/,
  );
});

test("with --json the error is also printed as the API's error object on stdout", async () => {
  const api = await fakeApi({
    [`POST ${FN}/invoke`]: () => apiError(502, "RUNLET_ERR_FUNCTION_ERROR", "boom", "act_42"),
  });
  const { code, stdout, stderr } = await run(["invoke", "hello", "--json"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 1);
  assert.deepEqual(JSON.parse(stdout), {
    error: { code: "RUNLET_ERR_FUNCTION_ERROR", message: "boom", activationId: "act_42" },
  });
  assert.match(stderr, /runlet: boom\n {2}activation: act_42\n/);
});

test("a response that is not an API error still yields its status and text", async () => {
  const api = await fakeApi({
    "GET /v1/accounts/acme/functions": () => ({ status: 500, text: "upstream exploded" }),
  });
  const { code, stderr } = await run(["list", "--json"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 1);
  assert.match(stderr, /runlet: 500 Internal Server Error: upstream exploded/);
});

test("a refused key names where the key came from", async () => {
  const api = await fakeApi({
    "GET /v1/accounts/acme/functions": () => apiError(401, "RUNLET_ERR_UNAUTHENTICATED", "bad key"),
  });
  const { code, stderr } = await run(["list"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 1);
  assert.match(stderr, /hint: the server refused the key from RUNLET_KEY/);
});

test("an unreachable server says so and suggests npm start", async () => {
  const port = await closedPort();
  const env = { RUNLET_URL: `http://127.0.0.1:${port}`, RUNLET_KEY: "k" };
  const { code, stderr } = await run(["list"], { cwd: tempDir(), env });
  assert.equal(code, 1);
  assert.match(
    stderr,
    new RegExp(`runlet: cannot reach the Runlet server at http://127.0.0.1:${port} \\(ECONNREFUSED\\)`),
  );
  assert.match(stderr, /npm start/);
});

test("usage errors exit 2 and point at the command's help", async () => {
  const cwd = tempDir();
  const missing = await run(["invoke"], { cwd });
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /runlet: missing required argument 'name'\n {2}hint: see runlet invoke --help/,
  );
  const unknown = await run(["lst"], { cwd });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'lst' \(did you mean (one of )?list/);
  const badLimit = await run(["logs", "hello", "--limit", "many"], { cwd });
  assert.equal(badLimit.code, 2);
  assert.match(badLimit.stderr, /expected a positive integer/);
  assert.equal((await run([], { cwd })).code, 2);
});

test("--help and --version exit 0 and print to stdout", async () => {
  const cwd = tempDir();
  const help = await run(["deploy", "--help"], { cwd });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: runlet deploy \[options\] \[dir\]/);
  assert.match(help.stdout, /--no-deploy/);
  const version = await run(["--version"], { cwd });
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
