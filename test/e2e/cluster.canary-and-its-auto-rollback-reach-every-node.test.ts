import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketOf } from "../../src/dispatcher/canary-route.js";
import { CLUSTER_ADMIN_KEY, eventually, fn, type Node } from "./cluster-nodes.js";
import { threeNodes } from "./three-nodes.js";

/** Invokes with a route key, so the test knows which side of the split each call lands on. */
async function invoke(node: Node, name: string, routeKey: string) {
  const res = await fetch(`${node.url}${fn(name)}/invoke`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${CLUSTER_ADMIN_KEY}`,
      "content-type": "application/json",
      "x-runlet-route-key": routeKey,
    },
    body: "{}",
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** Route keys that land in the canary's buckets (below `weight`) and outside them, for this function. */
function keysFor(uuid: string, weight: number) {
  const inside: string[] = [];
  const outside: string[] = [];
  for (let i = 0; inside.length < 40 || outside.length < 5; i++) {
    (bucketOf(uuid, `u${i}`) < weight ? inside : outside).push(`u${i}`);
  }
  return { inside, outside };
}

// The nodes poll only every ten minutes (cluster-nodes.ts): what reaches them here came over NATS.
describe("three nodes: a canary started on one node, and its automatic rollback, reach every node", () => {
  const cluster = threeNodes();

  it("every node splits as the canary says, and a rollback decided by others is seen by all, once", async () => {
    const [n1, n2, n3] = cluster.nodes();
    await n1.call("PUT", `${fn("c")}?deploy=true`, { source: "export default () => 1" });
    await n1.call("PUT", fn("c"), {
      source:
        "export default (e) => { if (e.payload?.fail !== false) throw new Error('v2 fails'); return 2 }",
    });
    const uuid = (await n1.call("GET", fn("c"))).body.uuid as string;
    const { inside, outside } = keysFor(uuid, 3000);
    const started = await n2.call("POST", `${fn("c")}/deploy`, {
      version: 2,
      percent: 30,
      autoRollback: { maxErrorRate: 0.5, minInvocations: 20, window: "10m" },
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    // Every node sends a canary key to version 2 (which fails) and the others to version 1.
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} runs the canary for its keys`, async () => {
        const res = await invoke(node, "c", inside[0]!);
        return res.status === 502;
      });
      assert.deepEqual((await invoke(node, "c", outside[0]!)).body, 1);
    }
    // Failures on n2 and n3 only; n1 ran none of them but hears of the rollback.
    for (const key of inside) await invoke(key.length % 2 ? n2 : n3, "c", key);
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} runs version 1 for canary keys again`, async () => {
        const res = await invoke(node, "c", inside[1]!);
        return res.status === 200 && res.body === 1;
      });
    }
    const get = await n1.call("GET", fn("c"));
    assert.equal(get.body.canary, null);
    const audit = await n1.call("GET", "/v1/accounts/default/audit?limit=100");
    const rollbacks = (audit.body.entries as { action: string; actor: string }[]).filter(
      (e) => e.action === "function.rollback",
    );
    assert.equal(rollbacks.length, 1, JSON.stringify(rollbacks));
    assert.equal(rollbacks[0]!.actor, "system");
  });
});
