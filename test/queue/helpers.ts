import { loadConfig, type QueueSettings } from "../../src/config.js";
import type { TestPlatform } from "../helpers/platform.js";
import { FINAL_STATUSES } from "../../src/outcomes.js";

/** Queue settings for tests: short polls and retry delays, so nothing waits long. */
export function fastQueue(overrides: Partial<QueueSettings> = {}): QueueSettings {
  return { ...loadConfig({}).queue, pollMs: 20, callbackRetryMs: 20, ...overrides };
}

/** Polls `check` until it returns something truthy (or throws after `timeoutMs`). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const FINAL = new Set<string>(FINAL_STATUSES);

/** Waits until the activation has a final status (and no callback pending), then returns it. */
export function settled(t: TestPlatform, id: string, opts: { callback?: boolean } = {}) {
  return waitFor(`activation ${id} to end`, async () => {
    const res = await t.call("GET", `/v1/accounts/default/activations/${id}`);
    if (res.status !== 200 || !FINAL.has(res.body.status)) return undefined;
    if (opts.callback && res.body.callback?.status === "pending") return undefined;
    return res.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  });
}

export function invokeAsync(
  t: TestPlatform,
  name: string,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  return t.call("POST", `/v1/accounts/default/functions/${name}/invoke?async=true`, payload, { headers });
}
