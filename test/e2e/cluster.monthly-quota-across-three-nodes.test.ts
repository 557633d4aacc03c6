import assert from "node:assert/strict";
import { after, it } from "node:test";
import { freshSchema } from "../helpers/postgres.js";
import {
  OPERATOR_KEY,
  closeAgent,
  masterKey,
  request,
  startNode,
  stopNode,
  type Node,
} from "./cluster-spawn.js";

const QUOTA = 100;
const nodes: Node[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const node of nodes) await stopNode(node);
  for (const cleanup of cleanups.reverse()) await cleanup();
  closeAgent();
});

it("a monthly quota of 100 across three nodes admits about 100, not 300", async () => {
  const db = await freshSchema("runlet_cluster_quota");
  cleanups.push(() => db.drop());
  const env = { RUNLET_DATABASE_URL: db.url, RUNLET_MASTER_KEY: masterKey() };
  for (let i = 0; i < 3; i++) nodes.push(await startNode(env));
  const [a] = nodes as [Node];
  const created = await request("POST", `${a.url}/v1/accounts`, { name: "metered" }, OPERATOR_KEY);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const key = created.body.adminKey.key as string;
  const quota = await request(
    "PATCH",
    `${a.url}/v1/accounts/metered`,
    { quotas: { invocationsPerMonth: QUOTA } },
    OPERATOR_KEY,
  );
  assert.equal(quota.status, 200, JSON.stringify(quota.body));
  const deploy = await request(
    "PUT",
    `${a.url}/v1/accounts/metered/functions/hit?deploy=true`,
    { source: "export default async () => 1" },
    key,
  );
  assert.equal(deploy.status, 201, JSON.stringify(deploy.body));

  // 300 invocations, round robin over the three nodes, 30 at a time.
  const counts = new Map<string, number>();
  for (let wave = 0; wave < 10; wave++) {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request("POST", `${nodes[i % 3]!.url}/v1/accounts/metered/functions/hit/invoke`, {}, key),
      ),
    );
    for (const r of results) {
      const what = r.status === 200 ? "200" : `${r.status} ${r.body?.error?.code}`;
      counts.set(what, (counts.get(what) ?? 0) + 1);
    }
  }
  const ok = counts.get("200") ?? 0;
  process.stdout.write(
    `# 300 invocations on 3 nodes with a quota of ${QUOTA}: ${JSON.stringify([...counts])}\n`,
  );
  assert.ok(ok <= QUOTA, `admitted ${ok}, over the quota`);
  assert.ok(ok >= QUOTA * 0.9, `admitted ${ok}, more than 10 % short of the quota`);
  assert.equal(counts.get("429 RUNLET_ERR_QUOTA_INVOCATIONS"), 300 - ok, "the rest refused by the quota");
});
