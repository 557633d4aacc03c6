// Starts the Runlet platform (dist/main.js) as a child process on 127.0.0.1 with a fresh data dir.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, makeTempDir, removeTempDir, startChild, type Child } from "./children.js";
import { HOST, closeConnections, freePort, request, waitFor200, type HttpResponse } from "./http.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const MAIN = path.join(ROOT, "dist", "main.js");
export const ADMIN_KEY = "bench-admin-key";
export const ACCOUNT = "default";
export const AUTH_HEADERS: Record<string, string> = { authorization: `Bearer ${ADMIN_KEY}` };

export interface Runlet {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly child: Child;
  /** Milliseconds from spawning the process to /readyz answering 200. */
  readonly readyMs: number;
  /** A JSON API call with the admin key. */
  api(method: string, apiPath: string, body?: unknown): Promise<HttpResponse>;
  /** `/v1/accounts/default/functions/<name>` (+ `suffix`). */
  functionUrl(name: string, suffix?: string): string;
  /** Resident set size of the platform process in MiB (Linux; NaN elsewhere). */
  rssMiB(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartRunletOptions {
  /** Leave RUNLET_EXAMPLE unset so the example function is created (default false: RUNLET_EXAMPLE=false). */
  example?: boolean;
  readyTimeoutMs?: number;
  pollMs?: number;
  /** More RUNLET_* (or other) variables for the platform process. */
  env?: Record<string, string>;
  /** More node flags, before dist/main.js (e.g. --expose-gc). */
  nodeArgs?: string[];
  /** Another build's main.js (a before/after comparison in one run); default this checkout's dist/main.js. */
  main?: string;
}

export async function startRunlet(options: StartRunletOptions = {}): Promise<Runlet> {
  const main = options.main ?? MAIN;
  if (!existsSync(main))
    throw new Error(`${path.relative(ROOT, main)} does not exist (node scripts/build.mjs)`);
  const port = await freePort();
  const dataDir = makeTempDir("data");
  const url = `http://${HOST}:${port}`;
  const env = cleanEnv({
    RUNLET_DATA_DIR: dataDir,
    RUNLET_PORT: String(port),
    RUNLET_HOST: HOST,
    RUNLET_ADMIN_KEY: ADMIN_KEY,
    RUNLET_LOG_LEVEL: "warn",
    // One key drives all the load here: lift its request rate limit out of the way (the check still runs).
    RUNLET_RATE_LIMIT_PER_SECOND: "1000000",
    RUNLET_RATE_LIMIT_BURST: "10000000",
    ...(options.example ? {} : { RUNLET_EXAMPLE: "false" }),
    ...options.env,
  });
  const spawnedAt = performance.now();
  const child = startChild(
    "runlet (dist/main.js)",
    process.execPath,
    // BENCH_RUNLET_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the platform under load.
    [
      "--no-node-snapshot",
      ...(options.nodeArgs ?? []),
      ...(process.env.BENCH_RUNLET_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      main,
    ],
    {
      env,
      cwd: ROOT,
    },
  );
  let readyAt: number;
  try {
    readyAt = await waitFor200(`${url}/readyz`, {
      child,
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      intervalMs: options.pollMs ?? 10,
    });
  } catch (err) {
    await child.stop();
    removeTempDir(dataDir);
    throw err;
  }
  const functionUrl = (name: string, suffix = ""): string =>
    `/v1/accounts/${ACCOUNT}/functions/${encodeURIComponent(name)}${suffix}`;
  return {
    url,
    port,
    dataDir,
    child,
    readyMs: readyAt - spawnedAt,
    functionUrl,
    api(method, apiPath, body) {
      return request(`${url}${apiPath}`, {
        method,
        headers: body === undefined ? AUTH_HEADERS : { ...AUTH_HEADERS, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    async rssMiB() {
      try {
        const { readFile } = await import("node:fs/promises");
        const status = await readFile(`/proc/${child.proc.pid}/status`, "utf8");
        const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
        return kb ? Number(kb) / 1024 : Number.NaN;
      } catch {
        return Number.NaN;
      }
    },
    async stop() {
      closeConnections();
      await child.stop(5000);
      removeTempDir(dataDir);
    },
  };
}

/** Creates (or updates) and deploys a function; throws unless the platform answers 2xx. */
export async function deployFunction(
  runlet: Runlet,
  name: string,
  config: Record<string, unknown>,
): Promise<void> {
  const res = await runlet.api("PUT", runlet.functionUrl(name, "?deploy=true"), config);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`PUT ${name}?deploy=true answered ${res.status}: ${res.body.slice(0, 500)}`);
  }
}
