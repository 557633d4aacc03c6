import assert from "node:assert/strict";
import type { Limits } from "../../src/config.js";
import type { PlatformOptions } from "../../src/platform.js";
import { OPERATOR_KEY, startPlatform, type TestPlatform, type TestResponse } from "../helpers/platform.js";

/** A neighbour function: doubles n and says who it is, so a wrong or mixed-up answer shows. */
const NEIGHBOUR = `export default async (event) => ({ doubled: event.payload.n * 2, me: "neighbour" })`;

export interface Tenant {
  account: string;
  key: string;
  call(
    method: string,
    route: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<TestResponse>;
  /** PUT ?deploy=true; throws unless it deployed. */
  deploy(name: string, source: string, config?: Record<string, unknown>): Promise<void>;
  invoke(name: string, payload?: unknown): Promise<TestResponse>;
}

/** A platform with two accounts: `attacker` runs the hostile code, `neighbour` must not notice. */
export interface Arena {
  t: TestPlatform;
  /** Pause between the neighbour's invocations (keeps it under a tight per-key rate limit). */
  neighbourPauseMs: number;
  attacker: Tenant;
  neighbour: Tenant;
  close(): Promise<void>;
}

export interface NeighbourReport {
  /** Invocations the neighbour answered while the attack ran (all of them correct, or the helper threw). */
  answered: number;
}

function tenant(t: TestPlatform, account: string, key: string): Tenant {
  const call: Tenant["call"] = (method, route, body, headers) =>
    t.call(method, route.replace("{acct}", account), body, { key, ...(headers ? { headers } : {}) });
  return {
    account,
    key,
    call,
    async deploy(name, source, config = {}) {
      const res = await call("PUT", `/v1/accounts/{acct}/functions/${name}?deploy=true`, {
        source,
        ...config,
      });
      if (res.status !== 200 && res.status !== 201)
        throw new Error(`deploy ${name}: ${res.status} ${res.text}`);
    },
    invoke: (name, payload = {}) => call("POST", `/v1/accounts/{acct}/functions/${name}/invoke`, payload),
  };
}

export async function openArena(
  opts: {
    limits?: Partial<Limits>;
    platform?: PlatformOptions;
    config?: NonNullable<Parameters<typeof startPlatform>[0]>["config"];
    neighbourPauseMs?: number;
  } = {},
): Promise<Arena> {
  const t = await startPlatform(opts);
  const accounts: Record<string, string> = {};
  for (const name of ["attacker", "neighbour"]) {
    const res = await t.call("POST", "/v1/accounts", { name }, { key: OPERATOR_KEY });
    assert.equal(res.status, 201, res.text);
    accounts[name] = res.body.adminKey.key as string;
  }
  const arena: Arena = {
    t,
    neighbourPauseMs: opts.neighbourPauseMs ?? 5,
    attacker: tenant(t, "attacker", accounts.attacker!),
    neighbour: tenant(t, "neighbour", accounts.neighbour!),
    close: () => t.close(),
  };
  await arena.neighbour.deploy("steady", NEIGHBOUR, { concurrency: 4 });
  return arena;
}

/**
 * Runs `attack` while the neighbour account's function is invoked in a loop alongside it, and asserts
 * that every neighbour answer during the attack (and one after it) was correct. Returns the attack's
 * result for the caller to check the platform's exact response.
 */
export async function underAttack<T>(arena: Arena, attack: () => Promise<T>): Promise<T & NeighbourReport> {
  let done = false;
  let answered = 0;
  const check = async (n: number): Promise<void> => {
    const res = await arena.neighbour.invoke("steady", { n });
    assert.equal(res.status, 200, `the neighbour failed during the attack: ${res.status} ${res.text}`);
    assert.deepEqual(res.body, { doubled: n * 2, me: "neighbour" });
  };
  const neighbour = (async () => {
    for (let n = 0; !done || answered === 0; n++) {
      await check(n);
      answered += 1;
      await new Promise((resolve) => setTimeout(resolve, arena.neighbourPauseMs));
    }
  })();
  let result: T;
  try {
    result = await attack();
  } finally {
    done = true;
  }
  await neighbour;
  await check(1_000_000);
  assert.ok(answered >= 1, "the neighbour answered while the attack ran");
  return Object.assign(result as object, { answered }) as T & NeighbourReport;
}

/** Deploys `source` in the attacker's account and invokes it once, under attack conditions. */
export async function attackWith(
  arena: Arena,
  source: string,
  config: Record<string, unknown> = {},
  payload: unknown = {},
): Promise<{ res: TestResponse } & NeighbourReport> {
  const name = `attack-${Math.random().toString(36).slice(2, 8)}`;
  await arena.attacker.deploy(name, source, { timeoutMs: 1500, ...config });
  return underAttack(arena, async () => ({ res: await arena.attacker.invoke(name, payload) }));
}

/** The activation the platform recorded for a response (flushes the batched activation writes first). */
export async function activationOf(arena: Arena, res: TestResponse): Promise<Record<string, unknown>> {
  await arena.t.platform.activations.flush();
  const id = res.headers.get("x-runlet-activation-id") ?? res.body?.error?.activationId;
  assert.ok(id, `the response names its activation: ${res.text}`);
  const got = await arena.attacker.call("GET", `/v1/accounts/{acct}/activations/${id}`);
  assert.equal(got.status, 200, got.text);
  return got.body as Record<string, unknown>;
}
