import { randomUUID } from "node:crypto";
import type { Activation } from "../../../src/model/activation.js";
import type { ApiKey } from "../../../src/model/account.js";
import type { FunctionConfig, VersionRecord } from "../../../src/model/function.js";
import type { Store } from "../../../src/store/store.js";

/** Each test works in its own account, so tests share one database without seeing each other. */
export async function freshAccount(store: Store, prefix = "acct"): Promise<string> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  await store.accounts.create({ name, createdAt: 1_700_000_000_000 });
  return name;
}

export const CONFIG: FunctionConfig = {
  timeoutMs: 30_000,
  memoryMb: 128,
  concurrency: 1,
  minInstances: 0,
  maxInstances: 10,
  idleTimeoutMs: 60_000,
  env: { GREETING: "hello", EMPTY: "" },
  events: ["user.created"],
  schedules: [{ cron: "*/5 * * * *", payload: { n: 1 }, timezone: "Europe/Paris" }],
  public: false,
  retry: { attempts: 3, backoff: "exponential", initialDelayMs: 1000 },
};

export function version(account: string, fn: string, n: number, overrides: Partial<VersionRecord> = {}) {
  return {
    id: randomUUID(),
    account,
    function: fn,
    version: n,
    source: `export default async () => ${n}; // ünïcödé ✓`,
    code: `var handler = async () => ${n};`,
    style: "event",
    config: CONFIG,
    digest: `digest-${n}`,
    createdAt: 1_700_000_000_000 + n * 1000,
    ...overrides,
  } satisfies VersionRecord;
}

export function key(account: string, id: string, overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id,
    account,
    name: `key ${id}`,
    role: "developer",
    hash: `hash-${randomUUID()}`,
    createdAt: 1_700_000_000_000,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/** Time-sortable like the real ids: a fixed-width time part, then a sequence number. */
export function activationId(n: number): string {
  return `act_${String(n).padStart(10, "0")}`;
}

export function activation(account: string, n: number, overrides: Partial<Activation> = {}): Activation {
  return {
    id: activationId(n),
    account,
    function: "fn",
    version: 1,
    trigger: "http",
    status: "succeeded",
    result: { n },
    error: null,
    logs: [],
    logsTruncated: false,
    startedAt: 1_700_000_000_000 + n,
    durationMs: 1.25,
    billedMs: 2,
    memoryMb: 128,
    coldStart: false,
    ...overrides,
  };
}
