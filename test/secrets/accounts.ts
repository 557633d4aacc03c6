import { newApiKey } from "../../src/security/api-keys.js";
import type { Platform } from "../../src/platform.js";
import type { Role } from "../../src/model/account.js";

/** Creates an account (if needed) and a key of `role` in it; answers the key. */
export async function keyFor(platform: Platform, account: string, role: Role): Promise<string> {
  if (!(await platform.store.accounts.get(account))) {
    await platform.store.accounts.create({ name: account, createdAt: Date.now() });
    platform.catalog.forgetAccount(account);
  }
  const { key, record } = newApiKey(account, `${role}-key`, role);
  await platform.store.keys.create(record);
  return key;
}

/** Deploys a function into any account with that account's admin key. */
export async function deployAs(
  call: (
    m: string,
    r: string,
    b?: unknown,
    o?: { key?: string | null },
  ) => Promise<{ status: number; text: string }>,
  account: string,
  key: string,
  name: string,
  source: string,
): Promise<void> {
  const res = await call("PUT", `/v1/accounts/${account}/functions/${name}?deploy=true`, { source }, { key });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`deploy ${account}/${name}: ${res.status} ${res.text}`);
}
