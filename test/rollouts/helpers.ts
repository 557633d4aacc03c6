import { freshSchema } from "../helpers/postgres.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

/** Both stores: a platform on SQLite (temp dir) and one on PostgreSQL (fresh schema, dropped after). */
export const STORES: [
  name: string,
  start: (opts?: Parameters<typeof startPlatform>[0]) => Promise<TestPlatform>,
][] = [
  ["sqlite", (opts = {}) => startPlatform(opts)],
  [
    "postgres",
    async (opts = {}) => {
      const pg = await freshSchema("runlet_rollout");
      const t = await startPlatform({ ...opts, databaseUrl: pg.url });
      // The schema goes with the platform (closed in the suite's after hook).
      const close = t.close;
      t.close = async () => {
        await close();
        await pg.drop();
      };
      return t;
    },
  ],
];

/** Waits until `check` answers something truthy (polling, no fixed sleeps), at most `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error("timed out waiting for the condition");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const versionSource = (n: number) => `export default async () => ({ version: ${n} })`;
