import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { FINAL_STATUSES } from "../../src/outcomes.js";

const root = path.resolve(import.meta.dirname, "../..");
const KEY = "sigkill-test-admin-key-0123456789";
const TOTAL = 10_000;
const SENDERS = 48;
const WORKERS = 128;
const FINAL = new Set<string>(FINAL_STATUSES);

/** Starts dist/main.js (as npm start does) on `dataDir`; resolves with its URL once it is ready. */
async function startServer(dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ["--no-node-snapshot", path.join(root, "dist/main.js")], {
    env: {
      ...process.env,
      RUNLET_DATA_DIR: dataDir,
      RUNLET_PORT: "0",
      RUNLET_LOG_LEVEL: "warn",
      RUNLET_ADMIN_KEY: KEY,
      RUNLET_EXAMPLE: "false",
      RUNLET_QUEUE_CONCURRENCY: String(WORKERS),
      RUNLET_QUEUE_POLL_MS: "50",
      // A lease shorter than a restart: the killed node's claimed jobs come due again soon after.
      RUNLET_QUEUE_LEASE_MS: "1000",
      NODE_OPTIONS: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (listening && /ready in \d+ ms/.test(output)) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.once("exit", (code) => reject(new Error(`server exited ${code}:\n${output}`)));
  });
  return { url, proc };
}

const auth = { authorization: `Bearer ${KEY}` };
// node:http with keep-alive: a lighter client than fetch, so the 10,000 requests go quickly.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...auth, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("10,000 async invocations, SIGKILL halfway, restart on the same data", () => {
  let dataDir: string;
  let server: { url: string; proc: ChildProcess };

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "runlet-sigkill-"));
  });
  after(async () => {
    if (server?.proc.exitCode === null) {
      server.proc.kill("SIGTERM");
      await new Promise((resolve) => server.proc.once("exit", resolve));
    }
    agent.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("every accepted activation ends; none lost; only started ones ran again", async () => {
    server = await startServer(dataDir);
    const deploy = await fetch(`${server.url}/v1/accounts/default/functions/work?deploy=true`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        // Stays in flight a little, so the kill finds runs started and not finished.
        source:
          "export default async (e) => { await new Promise(r => setTimeout(r, 5)); return e.payload.n }",
        concurrency: 32,
        maxInstances: 2,
      }),
    });
    assert.equal(deploy.status, 201, await deploy.text());

    const accepted = new Map<string, number>();
    let next = 0;
    let killed = false;
    let killAt = TOTAL / 2;
    const t0 = Date.now();
    let failedWhileDown = 0;
    const send = async (url: string, stopAt: number) => {
      while (next < stopAt && !killed) {
        const n = next++;
        try {
          const res = await post(
            `${url}/v1/accounts/default/functions/work/invoke?async=true`,
            JSON.stringify({ n }),
          );
          const body = JSON.parse(res.body) as { activationId?: string };
          if (res.status === 202 && body.activationId) accepted.set(body.activationId, n);
          else assert.fail(`unexpected ${res.status} ${JSON.stringify(body)}`);
        } catch (err) {
          if (!killed) throw err;
          // The connection died with the server: never accepted (and not sent again).
          failedWhileDown++;
        }
        if (!killed && accepted.size >= killAt) {
          killed = true;
          killAt = Infinity;
          server.proc.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, () => send(server.url, TOTAL)));
    assert.ok(killed);
    await new Promise((resolve) =>
      server.proc.exitCode !== null ? resolve(null) : server.proc.once("exit", resolve),
    );

    // Restart on the same data; the rest of the 10,000 go to the new process.
    const t1 = Date.now();
    server = await startServer(dataDir);
    const t2 = Date.now();
    killed = false;
    await Promise.all(Array.from({ length: SENDERS }, () => send(server.url, TOTAL)));
    assert.ok(accepted.size >= TOTAL - SENDERS, `accepted ${accepted.size}`);

    // Wait until every accepted activation has a final status, reading the list page by page.
    const t3 = Date.now();
    const seen = new Map<string, { status: string; attempts: number; result: unknown }>();
    const until = Date.now() + 60_000;
    for (;;) {
      seen.clear();
      let before: string | undefined;
      do {
        const res = await fetch(
          `${server.url}/v1/accounts/default/activations?function=work&limit=1000${before ? `&before=${before}` : ""}`,
          { headers: auth },
        );
        const page = (await res.json()) as {
          activations: { id: string; status: string; attempts: number; result: unknown }[];
          next?: string;
        };
        for (const a of page.activations) seen.set(a.id, a);
        before = page.next;
      } while (before);
      const open = [...accepted.keys()].filter((id) => !FINAL.has(seen.get(id)?.status ?? "missing"));
      if (open.length === 0) break;
      if (Date.now() > until) assert.fail(`${open.length} accepted activations never ended, e.g. ${open[0]}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    for (const [id, n] of accepted) {
      const a = seen.get(id)!;
      assert.equal(a.status, "succeeded", `${id}: ${JSON.stringify(a)}`);
      assert.equal(a.result, n, "its own payload's answer");
      assert.ok(a.attempts >= 1);
    }
    // Re-runs happen only to jobs the killed process had claimed: at most its worker concurrency.
    const rerun = [...accepted.keys()].filter((id) => seen.get(id)!.attempts > 1);
    assert.ok(
      rerun.length <= WORKERS,
      `${rerun.length} re-runs, more than the ${WORKERS} that could have started`,
    );
    // Requests cut off by the kill may have been stored without their 202 reaching the client: no more.
    const extra = [...seen.keys()].filter((id) => !accepted.has(id));
    assert.ok(extra.length <= SENDERS, `${extra.length} activations nobody was told about`);
    process.stdout.write(
      `# accepted ${accepted.size}, cut off by the kill ${failedWhileDown}, re-run after restart ${rerun.length}, stored without a 202 ${extra.length}; ` +
        `first half ${t1 - t0} ms, restart ${t2 - t1} ms, second half ${t3 - t2} ms, drained ${Date.now() - t3} ms\n`,
    );
  });
});
