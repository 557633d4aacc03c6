import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeApi, run, tempDir } from "./helpers.js";

const ACCT = "/v1/accounts/acme";
const now = Date.now();
const functions = [
  {
    name: "hello",
    state: "deployed",
    deployedVersion: 3,
    latestVersion: 3,
    style: "event",
    updatedAt: now - 120_000,
  },
  {
    name: "resize-image",
    state: "draft",
    deployedVersion: null,
    latestVersion: 1,
    style: "http",
    updatedAt: now,
  },
];

test("list prints an aligned table, and --json the API's answer", async () => {
  // Times relative to when the server answers, so a slow machine still sees "just now".
  let answered: unknown;
  const api = await fakeApi({
    [`GET ${ACCT}/functions`]: () => {
      const shift = Date.now() - now;
      answered = { functions: functions.map((f) => ({ ...f, updatedAt: f.updatedAt + shift })) };
      return { json: answered };
    },
  });
  const human = await run(["list"], { cwd: tempDir(), env: api.env });
  assert.equal(
    human.stdout,
    [
      "NAME          STATE     DEPLOYED  LATEST  STYLE  UPDATED",
      "hello         deployed  3         3       event  2 min ago",
      "resize-image  draft     -         1       http   just now",
      "",
    ].join("\n"),
  );
  const json = await run(["list", "--json"], { cwd: tempDir(), env: api.env });
  assert.deepEqual(JSON.parse(json.stdout), answered);
});

test("get shows state, versions and config", async () => {
  const fn = {
    ...functions[0],
    createdAt: now,
    config: { timeoutMs: 30000, env: { A: "b" } },
    versions: [{ version: 3 }, { version: 2 }],
  };
  const api = await fakeApi({ [`GET ${ACCT}/functions/hello`]: () => ({ json: fn }) });
  const { code, stdout } = await run(["get", "hello"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 0);
  assert.match(stdout, /^name {6}hello\nstate {5}deployed, version 3, latest 3\n/);
  assert.match(stdout, /versions {2}3 \(deployed\), 2\n/);
  assert.match(stdout, /config {4}timeoutMs {2}30000\n {10}env {8}\{"A":"b"\}\n$/);
});

test("versions lists newest first, who made and last deployed each, and marks the deployed one", async () => {
  const alice = { actor: "key:key_a", keyName: "alice" };
  const ci = { actor: "token:key_c", keyName: null };
  const versions = [
    {
      version: 1,
      createdAt: now,
      createdBy: alice,
      style: "event",
      digest: "aaaaaaaaaaaaaaaa",
      deployed: false,
      deployedAt: null,
      deployedBy: null,
    },
    {
      version: 2,
      createdAt: now,
      createdBy: alice,
      style: "event",
      digest: "bbbbbbbbbbbbbbbb",
      deployed: true,
      deployedAt: now,
      deployedBy: ci,
    },
  ];
  const api = await fakeApi({ [`GET ${ACCT}/functions/hello/versions`]: () => ({ json: { versions } }) });
  const { stdout } = await run(["versions", "hello"], { cwd: tempDir(), env: api.env });
  const lines = stdout.trimEnd().split("\n");
  assert.match(lines[0] ?? "", /^VERSION {2}CREATED {14}BY {5}LAST DEPLOYED {20}STYLE {2}DIGEST$/);
  assert.match(lines[1] ?? "", /^2 .* alice {2}\S+ \S+ token:key_c {2}event {2}bbbbbbbbbbbb {2}deployed$/);
  assert.match(lines[2] ?? "", /^1 .* alice {2}\s+event {2}aaaaaaaaaaaa$/);
});

test("activations passes the filters as query parameters", async () => {
  const activation = {
    id: "act_1",
    function: "hello",
    version: 3,
    trigger: "http",
    status: "succeeded",
    durationMs: 4,
    billedMs: 5,
    coldStart: true,
    startedAt: now,
  };
  const api = await fakeApi({ [`GET ${ACCT}/activations`]: () => ({ json: { activations: [activation] } }) });
  const args = ["activations", "--function", "hello", "--status", "succeeded", "--limit", "5"];
  const { code, stdout } = await run(args, { cwd: tempDir(), env: api.env });
  assert.equal(code, 0);
  assert.equal(api.requests[0]?.query.toString(), "function=hello&status=succeeded&limit=5");
  assert.match(stdout, /^ID {5}FUNCTION {2}VERSION {2}TRIGGER {2}STATUS/);
  assert.match(stdout, /act_1 {2}hello {5}3 {8}http {5}succeeded {2}4 ms {6}5 ms {4}cold/);
  const bad = await run(["activations", "--status", "great"], { cwd: tempDir(), env: api.env });
  assert.equal(bad.code, 2);
});

test("undeploy POSTs to …/undeploy", async () => {
  const api = await fakeApi({
    [`POST ${ACCT}/functions/hello/undeploy`]: () => ({ json: { name: "hello", state: "undeployed" } }),
  });
  const { code, stdout } = await run(["undeploy", "hello"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 0);
  assert.equal(stdout, "undeployed hello\n");
});

test("delete needs --yes (or a confirmation) before sending DELETE", async () => {
  const api = await fakeApi({ [`DELETE ${ACCT}/functions/hello`]: () => ({ status: 204 }) });
  const refused = await run(["delete", "hello"], { cwd: tempDir(), env: api.env });
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /needs confirmation, and nobody can answer here\n {2}hint: runlet delete hello --yes/,
  );
  const declined = await run(["delete", "hello"], {
    cwd: tempDir(),
    env: api.env,
    extra: { confirm: async () => false },
  });
  assert.equal(declined.stdout, "not deleted\n");
  assert.equal(api.requests.length, 0);
  const done = await run(["delete", "hello", "--yes", "--json"], { cwd: tempDir(), env: api.env });
  assert.equal(done.code, 0);
  assert.deepEqual(JSON.parse(done.stdout), { name: "hello", deleted: true });
  assert.equal(api.requests[0]?.method, "DELETE");
});
