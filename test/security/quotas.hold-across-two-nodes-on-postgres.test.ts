import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { OPERATOR_KEY, startPlatform, type TestPlatform, type TestResponse } from "../helpers/platform.js";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";

// Two nodes on one PostgreSQL: the monthly quota, the concurrency quota and the key's rate limit hold for
// both together (shared counters), not once per node.
let db: FreshSchema;
const nodes: TestPlatform[] = [];

before(async () => {
  db = await freshSchema("runlet_quotas");
  for (let i = 0; i < 2; i++) {
    nodes.push(
      await startPlatform({
        databaseUrl: db.url,
        config: { access: { rateLimitPerSecond: 20, rateLimitBurst: 20, quotaFlushMs: 60_000 } },
      }),
    );
  }
});
after(async () => {
  for (const node of nodes) await node.close();
  await db.drop();
});

/** An account of its own (with its quotas set before any node reads them) and its admin key. */
async function account(name: string, quotas: Record<string, number>): Promise<string> {
  const [a] = nodes as [TestPlatform];
  const res = await a.call("POST", "/v1/accounts", { name }, { key: OPERATOR_KEY });
  assert.equal(res.status, 201, res.text);
  const key = res.body.adminKey.key as string;
  const patch = await a.call("PATCH", `/v1/accounts/${name}`, { quotas }, { key: OPERATOR_KEY });
  assert.equal(patch.status, 200, patch.text);
  for (const [fn, source] of [
    ["quick", "export default async () => 1"],
    ["slow", "export default async () => { await new Promise((r) => setTimeout(r, 3000)); return 2 }"],
  ] as const) {
    const put = await a.call(
      "PUT",
      `/v1/accounts/${name}/functions/${fn}?deploy=true`,
      { source, concurrency: 20 },
      { key },
    );
    assert.equal(put.status, 201, put.text);
  }
  return key;
}

const newKey = async (acct: string, admin: string, name: string) =>
  (await nodes[0]!.call("POST", `/v1/accounts/${acct}/keys`, { name, role: "invoker" }, { key: admin })).body
    .key as string;
const invoke = (acct: string, i: number, name: string, key: string) =>
  nodes[i % 2]!.call("POST", `/v1/accounts/${acct}/functions/${name}/invoke`, {}, { key });
const statuses = (results: TestResponse[]) => {
  const counts = new Map<string, number>();
  for (const r of results) {
    const what = r.status === 200 ? "200" : `${r.status} ${r.body?.error?.code}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return counts;
};

it("a monthly quota of 30 admits 30 across both nodes, not 60, and refuses the rest with 429", async () => {
  const admin = await account("monthly", { invocationsPerMonth: 30 });
  // Sent in small waves so the rate limit (20 per second per key) stays out of the way: a fresh key each wave.
  const results = [];
  for (let wave = 0; wave < 6; wave++) {
    const key = await newKey("monthly", admin, `w${wave}`);
    results.push(
      ...(await Promise.all(Array.from({ length: 10 }, (_, i) => invoke("monthly", i, "quick", key)))),
    );
  }
  const counts = statuses(results);
  const ok = counts.get("200") ?? 0;
  assert.ok(ok <= 30, `admitted ${ok}, more than the quota: ${JSON.stringify([...counts])}`);
  assert.ok(ok >= 27, `admitted ${ok}, far below the quota: ${JSON.stringify([...counts])}`);
  assert.equal(counts.get("429 RUNLET_ERR_QUOTA_INVOCATIONS"), 60 - ok);
});

it("a concurrency quota of 4 lets 4 run at once across both nodes", async () => {
  const admin = await account("conc", { concurrent: 4 });
  const key = await newKey("conc", admin, "conc");
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => invoke("conc", i, "slow", key)));
  const counts = statuses(results);
  const ok = counts.get("200") ?? 0;
  assert.ok(ok >= 1 && ok <= 4, `${ok} ran at once: ${JSON.stringify([...counts])}`);
  assert.equal(counts.get("429 RUNLET_ERR_QUOTA_CONCURRENCY"), 12 - ok);
});

it("a key's rate limit (a burst of 20 per second) holds across both nodes", async () => {
  const admin = await account("rate", {});
  const key = await newKey("rate", admin, "rate");
  const start = Date.now();
  const results = await Promise.all(Array.from({ length: 80 }, (_, i) => invoke("rate", i, "quick", key)));
  const end = Date.now();
  const counts = statuses(results);
  const ok = counts.get("200") ?? 0;
  // Windows of one second: the requests may straddle a few; each window admits 20 across the cluster.
  const windows = Math.floor(end / 1000) - Math.floor(start / 1000) + 1;
  assert.ok(ok <= 20 * windows, `${ok} passed in ${windows} window(s): ${JSON.stringify([...counts])}`);
  assert.ok(ok >= 18, `${ok} passed: ${JSON.stringify([...counts])}`);
  assert.equal(counts.get("429 RUNLET_ERR_RATE_LIMITED"), 80 - ok);
});
