import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { bootstrap } from "../../src/bootstrap.js";
import { loadConfig, type Limits } from "../../src/config.js";
import { createPlatform, type Platform, type PlatformOptions } from "../../src/platform.js";
import { buildServer } from "../../src/server/server.js";

export const ADMIN_KEY = "test-admin-key-0123456789";
/** The master key test platforms on PostgreSQL share (a cluster's nodes must; SQLite ones make their own). */
export const TEST_MASTER_KEY = "6d".repeat(32);
/** The operator key every test platform is started with. */
export const OPERATOR_KEY = "test-operator-key-0123456789";

export interface TestPlatform {
  url: string;
  account: string;
  key: string;
  platform: Platform;
  app: FastifyInstance;
  dataDir: string;
  /** fetch against the server with the admin key unless `key` is given (null: no Authorization). */
  call(
    method: string,
    route: string,
    body?: unknown,
    opts?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  /** PUT ?deploy=true, asserting success. */
  deploy(name: string, source: string, config?: Record<string, unknown>): Promise<TestResponse>;
  invoke(
    name: string,
    payload?: unknown,
    opts?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** A real platform (SQLite in a temp dir unless databaseUrl says otherwise) and gateway on a free port. */
export async function startPlatform(
  opts: {
    databaseUrl?: string;
    limits?: Partial<Limits>;
    /** Code-only platform options (e.g. outbound test hooks). */
    platform?: PlatformOptions;
    /** Any other config overrides (natsUrl, triggers, …). */
    config?: Omit<NonNullable<Parameters<typeof loadConfig>[1]>, "limits">;
  } = {},
): Promise<TestPlatform> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "runlet-test-"));
  const config = loadConfig(
    {},
    {
      dataDir,
      port: 0,
      logLevel: "silent",
      example: false,
      adminKey: ADMIN_KEY,
      operatorKey: OPERATOR_KEY,
      ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
      ...(opts.databaseUrl?.startsWith("postgres") ? { masterKey: TEST_MASTER_KEY } : {}),
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...opts.config,
    },
  );
  const platform = await createPlatform(config, undefined, opts.platform);
  const app = await buildServer(platform);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  await bootstrap(platform, url);

  const call: TestPlatform["call"] = async (method, route, body, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    const key = o.key === undefined ? ADMIN_KEY : o.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(url + route, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  return {
    url,
    account: "default",
    key: ADMIN_KEY,
    platform,
    app,
    dataDir,
    call,
    async deploy(name, source, config = {}) {
      const res = await call("PUT", `/v1/accounts/default/functions/${name}?deploy=true`, {
        source,
        ...config,
      });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`deploy ${name} failed: ${res.status} ${res.text}`);
      return res;
    },
    invoke(name, payload = {}, o = {}) {
      return call("POST", `/v1/accounts/default/functions/${name}/invoke`, payload, o);
    },
    async close() {
      await app.close();
      await platform.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
