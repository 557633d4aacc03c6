import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
import { CLUSTER_ADMIN_KEY, CLUSTER_OPERATOR_KEY } from "./cluster-nodes.js";

export const ADMIN_KEY = CLUSTER_ADMIN_KEY;
export const OPERATOR_KEY = CLUSTER_OPERATOR_KEY;

export interface Node {
  url: string;
  proc: ChildProcess;
  /** Resolves once the process has exited. */
  exited: Promise<unknown>;
}

/**
 * Starts one node (dist/main.js, as npm start does) with a data dir of its own on the shared database
 * (and NATS); resolves once it is ready. Every node of a cluster gets the same master key.
 */
export async function startNode(env: Record<string, string>): Promise<Node & { dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "runlet-cluster-"));
  const proc = spawn(process.execPath, ["--no-node-snapshot", path.join(root, "dist/main.js")], {
    env: {
      ...process.env,
      RUNLET_DATA_DIR: dataDir,
      RUNLET_PORT: "0",
      RUNLET_LOG_LEVEL: "warn",
      RUNLET_ADMIN_KEY: ADMIN_KEY,
      RUNLET_OPERATOR_KEY: OPERATOR_KEY,
      RUNLET_EXAMPLE: "false",
      NODE_OPTIONS: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  void exited.then(() => rm(dataDir, { recursive: true, force: true }));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node not ready in 30 s:\n${output}`)), 30_000);
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
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited ${code}:\n${output}`));
    });
  });
  return { url, proc, exited, dataDir };
}

/** Stops a node that is still running and waits for it to exit. */
export async function stopNode(node: Node): Promise<void> {
  if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill("SIGTERM");
  await node.exited;
}

export const masterKey = () => randomBytes(32).toString("hex");

// node:http with keep-alive: light enough for a few thousand requests.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = { status: number; body: any };

export function request(method: string, url: string, body?: unknown, key = ADMIN_KEY): Promise<Reply> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          ...(text !== undefined
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(text) }
            : {}),
        },
      },
      (res) => {
        let data = "";
        res.on("data", (c: Buffer) => (data += c.toString()));
        res.on("end", () => {
          let parsed: unknown = data;
          try {
            parsed = JSON.parse(data);
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

export function closeAgent(): void {
  agent.destroy();
}
