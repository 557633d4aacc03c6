import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";
import { main, type Io } from "../../src/cli/main.js";
import { ERRORS } from "../../src/errors.js";
import { startPlatform } from "../helpers/platform.js";

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(prefix = "runlet-cli-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (relative path → contents) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), contents);
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output; `env` replaces the process environment entirely. */
export async function run(
  argv: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; extra?: Partial<Io> },
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    env: options.env ?? {},
    cwd: options.cwd,
    ...options.extra,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

type Reply = { status?: number; headers?: Record<string, string>; json?: unknown; text?: string };
export type Route = (request: Recorded, res: ServerResponse) => Reply | void;

interface Operation {
  method: string;
  path: RegExp;
  template: string;
  statuses: Set<number>;
}

let documented: Promise<Operation[]> | undefined;

/** The operations the real server's /openapi.json describes (read once per test process). */
function apiOperations(): Promise<Operation[]> {
  documented ??= (async () => {
    const t = await startPlatform();
    try {
      const doc = (await t.call("GET", "/openapi.json")).body as {
        paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
      };
      return Object.entries(doc.paths).flatMap(([template, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase(),
          template,
          path: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
          statuses: new Set(Object.keys(op.responses ?? {}).map(Number)),
        })),
      );
    } finally {
      await t.close();
    }
  })();
  return documented;
}

/**
 * The fake API may only answer as the real one can: each route is an operation of /openapi.json, and each
 * error it sends is a status that operation declares with a body of the one error shape and a registered code.
 */
function checkReply(op: Operation, key: string, reply: Reply): void {
  const status = reply.status ?? 200;
  // A text answer stands for something between the CLI and the API (a proxy): not the API's to declare.
  if (status < 400 || reply.json === undefined) return;
  if (op.statuses.size > 0 && !op.statuses.has(status)) {
    throw new Error(`fake API: ${key} answers ${status}, which ${op.template} does not declare`);
  }
  const code = (reply.json as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (typeof code !== "string" || !(code in ERRORS)) {
    throw new Error(`fake API: ${key} answers an error without a registered code`);
  }
}

/**
 * A real HTTP server on a free port that answers `"METHOD /path"` routes and records every request; each
 * route must be one the real server documents in /openapi.json (see checkReply). Unknown routes get the
 * API's 404 error body. Returns the env that points the CLI at it.
 */
export async function fakeApi(routes: Record<string, Route>) {
  const opOf = new Map<string, Operation>();
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const recorded = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const key = `${recorded.method} ${recorded.path}`;
      const route = routes[key];
      const reply = route
        ? route(recorded, res)
        : { status: 404, json: { error: { code: "RUNLET_ERR_ROUTE_NOT_FOUND", message: "no route" } } };
      if (!reply) return;
      if (route) {
        try {
          checkReply(opOf.get(key)!, key, reply);
        } catch (err) {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(err));
          throw err;
        }
      }
      const headers = {
        ...(reply.json === undefined ? {} : { "content-type": "application/json" }),
        ...reply.headers,
      };
      res.writeHead(reply.status ?? 200, headers);
      res.end(reply.json === undefined ? reply.text : JSON.stringify(reply.json));
    });
  });
  // Registered before anything is awaited, so it belongs to the test (or suite) that made the server.
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const operations = await apiOperations();
  for (const key of Object.keys(routes)) {
    const [method, path] = key.split(" ") as [string, string];
    const op = operations.find((o) => o.method === method && o.path.test(path));
    if (!op) throw new Error(`fake API: ${key} is not an operation of the real API (/openapi.json)`);
    opOf.set(key, op);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = { RUNLET_URL: url, RUNLET_ACCOUNT: "acme", RUNLET_KEY: "rk_test" };
  return { url, env, requests };
}

export const apiError = (status: number, code: string, message: string, activationId?: string): Reply => ({
  status,
  json: { error: { code, message, ...(activationId ? { activationId } : {}) } },
});
