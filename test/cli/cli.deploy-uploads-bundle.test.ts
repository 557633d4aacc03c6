import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeApi, run, tempDir, writeFiles } from "./helpers.js";

const FN = "/v1/accounts/acme/functions/hello";

function helloFolder(config: Record<string, unknown> = { name: "hello" }): string {
  const cwd = tempDir();
  writeFiles(cwd, {
    "hello/runlet.json": JSON.stringify(config),
    "hello/index.ts": 'import { shout } from "./lib.js";\nexport default async () => shout("hi");\n',
    "hello/lib.ts": "export const shout = (s: string): string => s.toUpperCase();\n",
  });
  return cwd;
}

test("deploy bundles the folder and PUTs source plus config with ?deploy=true", async () => {
  const api = await fakeApi({
    [`PUT ${FN}`]: () => ({
      status: 201,
      json: { name: "hello", version: 3, state: "deployed", style: "event" },
    }),
  });
  const cwd = helloFolder({
    name: "hello",
    entry: "index.ts",
    timeoutMs: 5000,
    env: { MODE: "x" },
    $schema: "s",
  });
  const { code, stdout, stderr } = await run(["deploy", "hello"], { cwd, env: api.env });
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^deployed hello version 3 \(event style\) in \d+(\.\d)? m?s\n$/);
  const put = api.requests[0];
  assert.equal(put?.query.get("deploy"), "true");
  assert.equal(put?.headers["content-type"], "application/json");
  const body = JSON.parse(put?.body ?? "") as { source: string } & Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ["env", "source", "timeoutMs"]);
  assert.equal(body.timeoutMs, 5000);
  assert.match(body.source, /toUpperCase/, "the local import is inlined");
  assert.doesNotMatch(body.source, /from "\.\/lib/);
});

test("deploy reads the style from the function when the upload answer lacks it", async () => {
  const api = await fakeApi({
    [`PUT ${FN}`]: () => ({ json: { name: "hello", version: 1, state: "deployed" } }),
    [`GET ${FN}`]: () => ({ json: { name: "hello", style: "http" } }),
  });
  const { code, stdout } = await run(["deploy", "hello", "--json"], { cwd: helloFolder(), env: api.env });
  assert.equal(code, 0);
  const summary = JSON.parse(stdout) as Record<string, unknown>;
  assert.equal(summary.style, "http");
  assert.equal(summary.version, 1);
  assert.equal(summary.deployed, true);
});

test("deploy --no-deploy uploads without deploying; the name comes from --name, then runlet.json, then the folder", async () => {
  const api = await fakeApi({
    "PUT /v1/accounts/acme/functions/other": () => ({
      json: { name: "other", version: 2, state: "modified", style: "event" },
    }),
  });
  const cwd = helloFolder({});
  const { code, stdout } = await run(["deploy", "hello", "--no-deploy", "--name", "other"], {
    cwd,
    env: api.env,
  });
  assert.equal(code, 0);
  assert.equal(api.requests[0]?.query.has("deploy"), false);
  assert.match(stdout, /uploaded other version 2 \(event style\), .*not deployed/);
});

test("deploy defaults to the current folder and its name", async () => {
  const api = await fakeApi({
    [`PUT ${FN}`]: () => ({ json: { name: "hello", version: 1, state: "deployed", style: "event" } }),
  });
  const cwd = helloFolder({});
  const { code } = await run(["deploy"], { cwd: `${cwd}/hello`, env: api.env });
  assert.equal(code, 0);
  assert.equal(api.requests[0]?.path, FN);
});

test("a bundling error is reported with file:line:column and nothing is uploaded", async () => {
  const api = await fakeApi({});
  const cwd = tempDir();
  writeFiles(cwd, { "hello/index.ts": "export default async () => {\n  return {;\n};\n" });
  const { code, stderr } = await run(["deploy", "hello"], { cwd, env: api.env });
  assert.equal(code, 1);
  // A slow bundle prints a progress line first; the error is its own line.
  assert.match(stderr, /^runlet: hello\/index\.ts:2:\d+: /m);
  assert.match(stderr, /hint: Fix the syntax error/);
  assert.equal(api.requests.length, 0);
});

test("a folder without an entry file says which files it looked for", async () => {
  const api = await fakeApi({});
  const cwd = tempDir();
  writeFiles(cwd, { "hello/README.md": "" });
  const { code, stderr } = await run(["deploy", "hello"], { cwd, env: api.env });
  assert.equal(code, 1);
  assert.match(
    stderr,
    /runlet: no entry file in .*hello\n {2}hint: add index\.ts, index\.js, index\.mjs, src\/index\.ts/,
  );
});
