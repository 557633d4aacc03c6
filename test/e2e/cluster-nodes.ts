// Starts real server processes (dist/main.js, as npm start does) that share one PostgreSQL schema and
// the real NATS: the nodes of a cluster, for test/e2e/cluster.*.test.ts and bench/cluster.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
export const NATS_URL = process.env.RUNLET_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
export const CLUSTER_ADMIN_KEY = "cluster-test-admin-key-0123456789";
export const CLUSTER_MASTER_KEY = "c1".repeat(32);
export const CLUSTER_OPERATOR_KEY = "cluster-test-operator-key-0123456789";

export interface Node {
  url: string;
  proc: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** fetch with the admin key (or `key`), JSON in and out. */
  call(method: string, route: string, body?: unknown, key?: string): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): Promise<void>;
}

export interface Exited {
  code: number | null;
  output: string;
}

/**
 * Spawns one node. The caches' polling fallback is set to ten minutes (unless `env` says otherwise), so
 * whatever reaches another node within a test came over the cluster channel, not by polling.
 */
export function spawnNode(databaseUrl: string, env: Record<string, string | undefined> = {}) {
  const dataDirReady = mkdtemp(path.join(tmpdir(), "runlet-cluster-"));
  const started = dataDirReady.then((dataDir) => {
    const proc = spawn(process.execPath, ["--no-node-snapshot", path.join(root, "dist/main.js")], {
      env: {
        ...process.env,
        RUNLET_DATA_DIR: dataDir,
        RUNLET_DATABASE_URL: databaseUrl,
        RUNLET_NATS_URL: NATS_URL,
        RUNLET_MASTER_KEY: CLUSTER_MASTER_KEY,
        RUNLET_ADMIN_KEY: CLUSTER_ADMIN_KEY,
        RUNLET_OPERATOR_KEY: CLUSTER_OPERATOR_KEY,
        RUNLET_PORT: "0",
        RUNLET_LOG_LEVEL: "warn",
        RUNLET_EXAMPLE: "false",
        RUNLET_CACHE_POLL_MS: "600000",
        RUNLET_COMPILE_PROCESSES: "1",
        NODE_OPTIONS: "",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    proc.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    proc.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<Exited>((resolve) =>
      proc.once("exit", (code) => {
        void rm(dataDir, { recursive: true, force: true });
        resolve({ code, output });
      }),
    );
    return { proc, exited, output: () => output };
  });
  return {
    /** Resolves once it is listening and ready (rejects if it exits first or takes over 60 s). */
    async ready(): Promise<Node> {
      const { proc, exited, output } = await started;
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`node not ready in 60 s:\n${output()}`)), 60_000);
        const check = () => {
          const listening = /listening on (http:\/\/[^\s]+)/.exec(output());
          if (listening && /ready in \d+ ms/.test(output())) {
            clearTimeout(timer);
            resolve(listening[1]!);
          }
        };
        proc.stdout!.on("data", check);
        proc.stderr!.on("data", check);
        check();
        void exited.then((e) => {
          clearTimeout(timer);
          reject(new Error(`node exited ${e.code}:\n${e.output}`));
        });
      });
      return {
        url,
        proc,
        output,
        async call(method, route, body, key = CLUSTER_ADMIN_KEY) {
          const res = await fetch(url + route, {
            method,
            headers: {
              authorization: `Bearer ${key}`,
              ...(body === undefined ? {} : { "content-type": "application/json" }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await res.text();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          return { status: res.status, body: parsed };
        },
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) {
            proc.kill("SIGTERM");
            const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
            await exited;
            clearTimeout(timer);
          }
        },
      };
    },
    /** Resolves when the process exits (for nodes that must refuse to start); kills it after 60 s. */
    async exited(): Promise<Exited> {
      const { proc, exited } = await started;
      const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Starts `n` nodes at once and waits until all are ready. */
export async function startCluster(databaseUrl: string, n = 3, env: Record<string, string> = {}) {
  const spawned = Array.from({ length: n }, () => spawnNode(databaseUrl, env));
  const settled = await Promise.allSettled(spawned.map((s) => s.ready()));
  const nodes = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return nodes;
}

/** Polls `check` until it answers true; fails after `ms` (generous: the machine is shared). */
export async function eventually(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const fn = (name: string) => `/v1/accounts/default/functions/${name}`;
