import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { run, tempDir, writeFiles } from "./helpers.js";

const RUNNER = fileURLToPath(new URL("./fixtures/run-cli.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");

/** isolated-vm needs node's --no-node-snapshot, so `--local` runs in a child node started with it. */
function cli(args: string[], cwd: string) {
  const child = spawnSync(process.execPath, ["--no-node-snapshot", "--import", TSX, RUNNER, ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH },
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

test("invoke --local runs ./<name> in an isolate: result on stdout, logs on stderr", async () => {
  const cwd = tempDir();
  assert.equal((await run(["init", "hello"], { cwd })).code, 0);
  const { code, stdout, stderr } = cli(["invoke", "hello", "--local", "--data", '{"name":"Ada"}'], cwd);
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), { hello: "Ada" });
  assert.match(stderr, /handling .* in activation /);
  assert.match(stderr, /local event invocation {2}succeeded/);
});

test("invoke --local <dir> --json prints the whole outcome; a throwing function exits 1", async () => {
  const cwd = tempDir();
  writeFiles(cwd, {
    "fns/broken/index.js":
      'export default async () => {\n  console.log("about to fail");\n  throw new Error("nope");\n};\n',
  });
  const { code, stdout, stderr } = cli(["invoke", "broken", "--local", "fns/broken", "--json"], cwd);
  assert.equal(code, 1);
  const outcome = JSON.parse(stdout) as {
    status: string;
    error: { message: string };
    logs: { msg: string }[];
  };
  assert.equal(outcome.status, "function_error");
  assert.match(outcome.error.message, /nope/);
  assert.deepEqual(
    outcome.logs.map((l) => l.msg),
    ["about to fail"],
  );
  assert.match(stderr, /^runlet: .*nope/m);
});
