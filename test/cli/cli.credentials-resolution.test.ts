import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { CliError } from "../../src/cli/cli-error.js";
import { resolveCredentials } from "../../src/cli/credentials.js";
import { run, tempDir, writeFiles } from "./helpers.js";

const stored = { url: "http://10.0.0.5:7070/", account: "team", key: "rk_file" };

function project(): string {
  const root = tempDir();
  writeFiles(root, { ".runlet/credentials.json": JSON.stringify(stored), "functions/hello/index.ts": "" });
  return root;
}

test("the server's credentials file is found from a sub-folder, searching upward", () => {
  const root = project();
  const credentials = resolveCredentials({}, path.join(root, "functions", "hello"));
  assert.deepEqual(credentials, {
    url: "http://10.0.0.5:7070",
    account: "team",
    key: "rk_file",
    source: path.join(root, ".runlet", "credentials.json"),
  });
});

test("RUNLET_URL, RUNLET_ACCOUNT and RUNLET_KEY override the file field by field", () => {
  const root = project();
  const onlyKey = resolveCredentials({ RUNLET_KEY: "rk_env" }, root);
  assert.equal(onlyKey.key, "rk_env");
  assert.equal(onlyKey.url, "http://10.0.0.5:7070");
  assert.equal(onlyKey.account, "team");
  const all = resolveCredentials(
    { RUNLET_URL: "https://faas.example", RUNLET_ACCOUNT: "a", RUNLET_KEY: "k" },
    root,
  );
  assert.deepEqual(all, { url: "https://faas.example", account: "a", key: "k", source: "RUNLET_KEY" });
});

test("the variables alone are enough, with the default URL and account", () => {
  const credentials = resolveCredentials({ RUNLET_KEY: "k" }, tempDir());
  assert.equal(credentials.url, "http://127.0.0.1:7070");
  assert.equal(credentials.account, "default");
});

test("RUNLET_DATA_DIR points at the file, relative to the working folder", () => {
  const root = project();
  writeFiles(root, { "data/credentials.json": JSON.stringify({ ...stored, key: "rk_data_dir" }) });
  assert.equal(resolveCredentials({ RUNLET_DATA_DIR: "data" }, root).key, "rk_data_dir");
  // A data dir without the file falls back to the upward search.
  assert.equal(resolveCredentials({ RUNLET_DATA_DIR: "nowhere" }, root).key, "rk_file");
});

test("no credentials anywhere: a clear error naming npm start and the variables", async () => {
  const cwd = tempDir();
  assert.throws(
    () => resolveCredentials({}, cwd),
    (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.equal(err.message, "no Runlet credentials found");
      assert.match(err.fix ?? "", /npm start/);
      assert.match(err.fix ?? "", /RUNLET_URL, RUNLET_ACCOUNT and RUNLET_KEY/);
      return true;
    },
  );
  const { code, stdout, stderr } = await run(["list"], { cwd });
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(stderr, /^runlet: no Runlet credentials found\n {2}hint: start the server with `npm start`/);
});

test("a corrupt credentials file is reported with its path", () => {
  const root = tempDir();
  writeFiles(root, { ".runlet/credentials.json": "{not json" });
  assert.throws(() => resolveCredentials({}, root), /cannot read .*credentials\.json/);
});
