import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(import.meta.dirname, "../..");
const KEY = "e2e-admin-key-0123456789";

// A fatal V8 out-of-memory (a Map grown without bound) leaves an isolate whose thread never ends; a normal
// exit would wait for it forever. SIGTERM must still end the server, after saving what it holds.
describe("npm start: SIGTERM after a fatal out-of-memory in a function still ends the server", () => {
  it("reports the lost isolate and exits", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "runlet-e2e-oom-"));
    const server = spawn(process.execPath, ["--no-node-snapshot", path.join(root, "dist/main.js")], {
      env: {
        ...process.env,
        RUNLET_DATA_DIR: dataDir,
        RUNLET_PORT: "0",
        RUNLET_LOG_LEVEL: "warn",
        RUNLET_ADMIN_KEY: KEY,
        RUNLET_EXAMPLE: "false",
        NODE_OPTIONS: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      server.on("exit", (code, signal) => resolve({ code, signal })),
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready in 20 s:\n${output}`)), 20_000);
        server.stdout!.on("data", () => {
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match && /ready in/.test(output)) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const call = (method: string, route: string, body?: unknown) =>
        fetch(url + route, {
          method,
          headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const put = await call("PUT", "/v1/accounts/default/functions/hog?deploy=true", {
        source: `export default async () => { const m = new Map(); for (let i = 0; ; i++) m.set(i, { i }); }`,
        memoryMb: 32,
      });
      assert.equal(put.status, 201, await put.text());
      const res = await call("POST", "/v1/accounts/default/functions/hog/invoke", {});
      assert.equal(res.status, 502);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "RUNLET_ERR_MEMORY_LIMIT");
      assert.equal((await fetch(`${url}/healthz`)).status, 200, "the server keeps answering");

      server.kill("SIGTERM");
      const timeout = new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 30_000).unref());
      const end = await Promise.race([exited, timeout]);
      assert.notEqual(end, "hung", `the server did not exit within 30 s of SIGTERM:\n${output}`);
      assert.match(
        output,
        /1 isolate\(s\) were lost to a fatal out-of-memory; everything is saved, exiting hard/,
      );
    } finally {
      server.kill("SIGKILL");
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
