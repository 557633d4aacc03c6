import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

const root = path.resolve(import.meta.dirname, "../..");

/** Runs the real CLI (bin/runlet.js) as a user would, in `cwd`. */
function runlet(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  const res = spawnSync(process.execPath, [path.join(root, "bin/runlet.js"), ...args], {
    cwd,
    env: { ...process.env, ...env, NODE_OPTIONS: "" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("quick start: the server as npm start runs it, then the CLI against it", () => {
  let server: ChildProcess;
  let dataDir: string;
  let work: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "runlet-e2e-data-"));
    work = await mkdtemp(path.join(tmpdir(), "runlet-e2e-work-"));
    server = spawn(process.execPath, ["--no-node-snapshot", path.join(root, "dist/main.js")], {
      env: {
        ...process.env,
        RUNLET_DATA_DIR: dataDir,
        RUNLET_PORT: "0",
        RUNLET_LOG_LEVEL: "warn",
        NODE_OPTIONS: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server not ready in 20 s:\n${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/ready in \d+ ms/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout!.on("data", onData);
      server.stderr!.on("data", onData);
      server.on("exit", (code) => reject(new Error(`server exited ${code}:\n${output}`)));
    });
    env = { RUNLET_DATA_DIR: dataDir, RUNLET_URL: "", RUNLET_ACCOUNT: "", RUNLET_KEY: "" };
  });

  after(async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it("first start writes credentials.json (0600) with url, account and key", async () => {
    const file = path.join(dataDir, "credentials.json");
    const creds = JSON.parse(await readFile(file, "utf8"));
    assert.equal(creds.account, "default");
    assert.match(creds.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(creds.key, /^rlk_/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it("the example function is deployed and answers", () => {
    const out = runlet(work, env, "invoke", "example", "--data", '{"name":"Ada"}');
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), { greeting: "Hello, Ada!", function: "example", version: 1 });
  });

  it("init → deploy → invoke → logs → list → versions, as the README says", () => {
    assert.equal(runlet(work, env, "init", "hello").code, 0);
    const deployed = runlet(work, env, "deploy", "hello", "--json");
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.equal(JSON.parse(deployed.stdout).version, 1);
    const out = runlet(work, env, "invoke", "hello", "--data", '{"name":"Ada"}', "--json");
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Ada/);
    const logs = runlet(work, env, "logs", "hello", "--json");
    assert.equal(logs.code, 0, logs.stderr);
    assert.ok(JSON.parse(logs.stdout).logs.length >= 1);
    const list = runlet(work, env, "list", "--json");
    const names = JSON.parse(list.stdout).functions.map((f: { name: string }) => f.name);
    assert.deepEqual(names.sort(), ["example", "hello"]);
    const versions = runlet(work, env, "versions", "hello", "--json");
    assert.equal(JSON.parse(versions.stdout).versions.length, 1);
    const usage = runlet(work, env, "usage", "--group-by", "function", "--json");
    assert.equal(usage.code, 0, usage.stderr);
    const byName = Object.fromEntries(
      JSON.parse(usage.stdout).groups.map((g: { key: string }) => [g.key, g]),
    );
    assert.equal(byName.hello.invocations, 1);
    const table = runlet(work, env, "usage");
    assert.match(table.stdout, /TOTAL|total/);
  });

  it("errors exit non-zero with a message", () => {
    const missing = runlet(work, env, "invoke", "does-not-exist");
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /does not exist|not found/i);
    const unreachable = runlet(
      work,
      { ...env, RUNLET_URL: "http://127.0.0.1:9", RUNLET_ACCOUNT: "default", RUNLET_KEY: "x" },
      "list",
    );
    assert.notEqual(unreachable.code, 0);
  });
});
