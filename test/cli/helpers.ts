import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";
import { main, type Io } from "../../src/cli/main.js";

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

/**
 * A real HTTP server on a free port that answers `"METHOD /path"` routes and records every request.
 * Unknown routes get the API's 404 error body. Returns the env that points the CLI at it.
 */
export async function fakeApi(routes: Record<string, Route>) {
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
      const route = routes[`${recorded.method} ${recorded.path}`];
      const reply = route
        ? route(recorded, res)
        : { status: 404, json: { error: { code: "RUNLET_ERR_ROUTE_NOT_FOUND", message: "no route" } } };
      if (!reply) return;
      const headers = {
        ...(reply.json === undefined ? {} : { "content-type": "application/json" }),
        ...reply.headers,
      };
      res.writeHead(reply.status ?? 200, headers);
      res.end(reply.json === undefined ? reply.text : JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const env = { RUNLET_URL: url, RUNLET_ACCOUNT: "acme", RUNLET_KEY: "rk_test" };
  return { url, env, requests };
}

export const apiError = (status: number, code: string, message: string, activationId?: string): Reply => ({
  status,
  json: { error: { code, message, ...(activationId ? { activationId } : {}) } },
});
