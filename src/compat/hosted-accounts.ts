import { NAME_PATTERN } from "../functions/names.js";

/**
 * RUNLET_HOSTED_ACCOUNTS: the hosted platform's account ids (often digits, which Runlet account names
 * cannot be) mapped to Runlet accounts, `12345678=default,le87654321=shop`, so a migrated client keeps
 * its `accountId` and only its domain changes. An id not listed is taken as the Runlet account name.
 */
export function parseHostedAccounts(
  raw: string | undefined,
  fail: (message: string) => Error,
): Readonly<Record<string, string>> {
  const map: Record<string, string> = {};
  if (raw === undefined || raw.trim() === "") return Object.freeze(map);
  const name = new RegExp(NAME_PATTERN);
  for (const pair of raw.split(",")) {
    const [id, account, extra] = pair.trim().split("=");
    if (!id || !account || extra !== undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(id) || !name.test(account)) {
      throw fail(
        `RUNLET_HOSTED_ACCOUNTS entry "${pair.trim().slice(0, 80)}" is invalid: use hostedId=runletAccount pairs separated by commas, e.g. 12345678=default`,
      );
    }
    map[id] = account;
  }
  return Object.freeze(map);
}
