import assert from "node:assert/strict";
import { test } from "node:test";
import { apiError, fakeApi, run, tempDir, writeFiles } from "./helpers.js";

const INVOKE = "/v1/accounts/acme/functions/hello/invoke";
const answer = () => ({
  json: { hello: "Ada" },
  headers: { "x-runlet-activation-id": "act_7", "x-runlet-duration-ms": "12", "x-runlet-cold-start": "true" },
});

test("invoke POSTs the --data JSON and prints the result; activation and duration go to stderr", async () => {
  const api = await fakeApi({ [`POST ${INVOKE}`]: answer });
  const { code, stdout, stderr } = await run(["invoke", "hello", "--data", '{"name":"Ada"}'], {
    cwd: tempDir(),
    env: api.env,
  });
  assert.equal(code, 0);
  assert.equal(api.requests[0]?.body, '{"name":"Ada"}');
  assert.equal(api.requests[0]?.headers["content-type"], "application/json");
  assert.equal(stdout, '{\n  "hello": "Ada"\n}\n');
  assert.equal(stderr, "activation act_7  12 ms  cold start\n");
});

test("invoke --json prints the activation's report as one object, nothing on stderr", async () => {
  const api = await fakeApi({ [`POST ${INVOKE}`]: answer });
  const { stdout, stderr } = await run(["invoke", "hello", "--json"], { cwd: tempDir(), env: api.env });
  // This fake server cannot be asked for the activation: the report holds what the response said.
  assert.deepEqual(JSON.parse(stdout), {
    activationId: "act_7",
    function: "hello",
    status: "succeeded",
    startedAt: null,
    durationMs: 12,
    coldStart: true,
    result: { hello: "Ada" },
    error: null,
    logs: [],
  });
  assert.equal(stderr, "");
  assert.equal(api.requests[0]?.body, "{}", "the default payload is an empty object");
});

test("invoke --data-file reads the payload from a file", async () => {
  const api = await fakeApi({ [`POST ${INVOKE}`]: answer });
  const cwd = tempDir();
  writeFiles(cwd, { "payload.json": '{ "name": "Grace" }\n' });
  assert.equal(
    (await run(["invoke", "hello", "--data-file", "payload.json"], { cwd, env: api.env })).code,
    0,
  );
  assert.equal(api.requests[0]?.body, '{ "name": "Grace" }\n');
});

test("invalid --data is a usage error and sends nothing", async () => {
  const api = await fakeApi({ [`POST ${INVOKE}`]: answer });
  const { code, stderr } = await run(["invoke", "hello", "--data", "{name:Ada}"], {
    cwd: tempDir(),
    env: api.env,
  });
  assert.equal(code, 2);
  assert.match(stderr, /runlet: --data is not valid JSON/);
  assert.equal(api.requests.length, 0);
});

test("a failed invocation prints the error and its activation, exit 1", async () => {
  const api = await fakeApi({
    [`POST ${INVOKE}`]: () =>
      apiError(504, "RUNLET_ERR_TIMEOUT", "hello ran past its 30000 ms timeout", "act_9"),
  });
  const { code, stdout, stderr } = await run(["invoke", "hello"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(stderr, /^runlet: hello ran past its 30000 ms timeout\n {2}activation: act_9\n {2}hint: /);
});

test("invoke --async queues and prints the activation id", async () => {
  const api = await fakeApi({ [`POST ${INVOKE}`]: () => ({ status: 202, json: { activationId: "act_q" } }) });
  const { code, stdout } = await run(["invoke", "hello", "--async"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 0);
  assert.equal(api.requests[0]?.query.get("async"), "true");
  assert.equal(stdout, "queued activation act_q\n");
});

test("a non-JSON answer (an http function's body) is printed as is", async () => {
  const api = await fakeApi({
    [`POST ${INVOKE}`]: () => ({ text: "<h1>hi</h1>", headers: { "content-type": "text/html" } }),
  });
  const { stdout } = await run(["invoke", "hello"], { cwd: tempDir(), env: api.env });
  assert.equal(stdout, "<h1>hi</h1>\n");
});
