import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Platform } from "./platform.js";
import { hashKey, newApiKey } from "./security/api-keys.js";

export const DEFAULT_ACCOUNT = "default";

export const EXAMPLE_SOURCE = `// The example function Runlet deploys on first start. Invoke it:
//   npx runlet invoke example --data '{"name":"Ada"}'
export default async function handler(event, ctx) {
  const name = event.payload?.name ?? "world";
  console.log(\`greeting \${name}\`);
  return { greeting: \`Hello, \${name}!\`, function: ctx.function.name, version: ctx.function.version };
}
`;

export interface BootstrapResult {
  /** Set when this start created the default account (the key is shown once). */
  created?: { account: string; key: string; credentialsFile: string };
}

/**
 * First start with no accounts: create `default` with an admin key (RUNLET_ADMIN_KEY fixes it), write
 * `<data dir>/credentials.json` for the CLI, and deploy the example function. Any number of nodes may run
 * this at once on an empty database: the account is inserted if missing, and only the node whose insert
 * landed creates the key and the example; the others find the account there and carry on.
 */
export async function bootstrap(platform: Platform, url: string): Promise<BootstrapResult> {
  const { store, config } = platform;
  const created =
    (await store.accounts.count()) === 0 &&
    (await store.accounts.createIfMissing({ name: DEFAULT_ACCOUNT, createdAt: Date.now() }));
  if (!created) {
    if (config.adminKey && !(await store.keys.findByHash(hashKey(config.adminKey)))) {
      const { record } = newApiKey(DEFAULT_ACCOUNT, "admin (RUNLET_ADMIN_KEY)", "admin");
      // Another node starting now may add the same key: the first insert counts, the others are no-ops.
      if (await store.accounts.get(DEFAULT_ACCOUNT))
        await store.keys.createIfMissing({ ...record, hash: hashKey(config.adminKey) });
    }
    return {};
  }
  const generated = newApiKey(DEFAULT_ACCOUNT, "admin (first start)", "admin");
  const key = config.adminKey ?? generated.key;
  await store.keys.createIfMissing({ ...generated.record, hash: hashKey(key) });
  await mkdir(config.dataDir, { recursive: true });
  const credentialsFile = path.join(config.dataDir, "credentials.json");
  await writeFile(credentialsFile, JSON.stringify({ url, account: DEFAULT_ACCOUNT, key }, null, 2) + "\n", {
    mode: 0o600,
  });
  await chmod(credentialsFile, 0o600);
  if (config.example)
    await platform.functions.put(DEFAULT_ACCOUNT, "example", { source: EXAMPLE_SOURCE }, true, "system");
  return { created: { account: DEFAULT_ACCOUNT, key, credentialsFile } };
}
