import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";

interface Record_ {
  function: string;
  status: string;
  durationMs: number;
  coldStart: boolean;
  error: { code: string } | null;
}
interface Bucket {
  invocations: number;
  byStatus: Record<string, number>;
  coldStarts: number;
  throttled: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** Nearest-rank percentile, the definition the API documents. */
function nearestRank(values: number[], p: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.ceil((sorted.length * p) / 100) - 1]!;
}

/** What the stats of a set of records must say, worked out from the records themselves. */
function expected(records: Record_[]): Bucket {
  const byStatus: Record<string, number> = {};
  for (const r of records) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const ran = records.filter((r) => r.status !== "rejected").map((r) => r.durationMs);
  return {
    invocations: records.length,
    byStatus,
    coldStarts: records.filter((r) => r.coldStart).length,
    throttled: records.filter((r) => r.error?.code === "RUNLET_ERR_THROTTLED").length,
    p50Ms: nearestRank(ran, 50),
    p99Ms: nearestRank(ran, 99),
  };
}

/** A bucket with the statuses that have none left out, to compare with expected(). */
function seen({ invocations, byStatus, coldStarts, throttled, p50Ms, p99Ms }: Bucket): Bucket {
  const some = Object.fromEntries(Object.entries(byStatus).filter(([, n]) => n > 0));
  return { invocations, byStatus: some, coldStarts, throttled, p50Ms, p99Ms };
}

const DIALECTS: [string, () => Promise<{ url?: string; drop(): Promise<void> }>][] = [
  ["sqlite", async () => ({ drop: async () => {} })],
  [
    "postgres",
    async () => {
      const pg: FreshSchema = await freshSchema("runlet_stats");
      return { url: pg.url, drop: () => pg.drop() };
    },
  ],
];

for (const [dialect, open] of DIALECTS) {
  describe(`GET …/stats counts what the activation records hold (${dialect})`, () => {
    let t: TestPlatform;
    let drop: () => Promise<void>;
    let throttledAnswers = 0;
    let records: Record_[];
    const from = Date.now() - 60_000;
    before(async () => {
      const db = await open();
      drop = db.drop;
      t = await startPlatform(db.url ? { databaseUrl: db.url } : {});
      await t.deploy("ok", `export default async () => ({ ok: true })`);
      await t.deploy("bad", `export default async () => { throw new Error("declined"); }`);
      // One instance, one at a time, and a waiter gives up after the 1 s timeout: of four callers at
      // once, the third cannot be served before two 600 ms runs end, so at least one is throttled.
      await t.deploy(
        "slow",
        `export default async () => { await new Promise((r) => setTimeout(r, 600)); return 1; }`,
        { maxInstances: 1, concurrency: 1, timeoutMs: 1000 },
      );
      // Deploying warms one instance: a second caller while the first runs for a second starts another.
      await t.deploy(
        "pair",
        `export default async () => { await new Promise((r) => setTimeout(r, 1000)); return 2; }`,
        { maxInstances: 2, concurrency: 1 },
      );
      await Promise.all([t.invoke("pair"), t.invoke("pair")]);
      for (let i = 0; i < 3; i++) assert.equal((await t.invoke("ok")).status, 200);
      for (let i = 0; i < 2; i++) assert.equal((await t.invoke("bad")).status, 502);
      const answers = await Promise.all(Array.from({ length: 4 }, () => t.invoke("slow")));
      throttledAnswers = answers.filter(
        (a) => a.status === 429 && a.body.error.code === "RUNLET_ERR_THROTTLED",
      ).length;
      const list = await t.call("GET", "/v1/accounts/default/activations?limit=1000");
      assert.equal(list.status, 200, list.text);
      records = list.body.activations;
    });
    after(async () => {
      await t?.close();
      await drop?.();
    });

    const stats = async (route: string) => {
      const res = await t.call("GET", `/v1/accounts/default${route}?from=${from}&bucket=1m`);
      assert.equal(res.status, 200, res.text);
      return res.body as { total: Bucket; buckets: Bucket[]; bucketMs: number };
    };

    it("per function: totals by status, cold starts, throttled and p50/p99 equal the records", async () => {
      for (const name of ["ok", "bad", "slow", "pair"]) {
        const s = await stats(`/functions/${name}/stats`);
        assert.equal(s.bucketMs, 60_000);
        assert.deepEqual(seen(s.total), expected(records.filter((r) => r.function === name)));
      }
      const ok = await stats("/functions/ok/stats");
      assert.equal(ok.total.byStatus.succeeded, 3);
      assert.equal((await stats("/functions/pair/stats")).total.coldStarts, 1);
      assert.equal((await stats("/functions/bad/stats")).total.byStatus.function_error, 2);
      const slow = await stats("/functions/slow/stats");
      assert.ok(throttledAnswers >= 1, "a caller was throttled");
      assert.equal(slow.total.throttled, throttledAnswers);
    });

    it("the buckets add up to the total, and the account's stats to all its records", async () => {
      const account = await stats("/stats");
      assert.deepEqual(seen(account.total), expected(records));
      const sum = (key: "invocations" | "coldStarts" | "throttled") =>
        account.buckets.reduce((n, b) => n + b[key], 0);
      assert.equal(sum("invocations"), records.length);
      assert.equal(sum("coldStarts"), account.total.coldStarts);
      assert.equal(sum("throttled"), account.total.throttled);
      assert.equal(account.buckets.length, Math.ceil((Date.now() - from) / 60_000));
    });
  });
}
