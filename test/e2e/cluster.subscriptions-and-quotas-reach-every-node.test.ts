import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CLUSTER_OPERATOR_KEY, eventually, fn } from "./cluster-nodes.js";
import { threeNodes } from "./three-nodes.js";

// The nodes poll only every ten minutes (cluster-nodes.ts): what reaches them here came over NATS.
describe("three nodes: event subscriptions and quota changes made on one hold on all", () => {
  const cluster = threeNodes();

  it("a subscriber deployed on one node receives events published on every node, and none once undeployed", async () => {
    const [n1, n2] = cluster.nodes();
    // Every node reads (and caches) the account's subscriptions: none yet.
    for (const node of cluster.nodes()) {
      const res = await node.call("POST", "/v1/accounts/default/events/order.created?sync=true", { n: 0 });
      assert.deepEqual([res.status, res.body.results], [200, []]);
    }
    const source = `export default async (event) => ({ got: event.payload.n })`;
    const put = await n1.call("PUT", `${fn("sub")}?deploy=true`, { source, events: ["order.created"] });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    for (const [i, node] of cluster.nodes().entries()) {
      await eventually(`${node.url} delivers to the new subscriber`, async () => {
        const res = await node.call("POST", "/v1/accounts/default/events/order.created?sync=true", { n: i });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        if (res.body.results.length === 0) return false;
        assert.deepEqual(
          res.body.results.map((r: { function: string; result: unknown }) => [r.function, r.result]),
          [["sub", { got: i }]],
        );
        return true;
      });
    }
    assert.equal((await n2.call("POST", `${fn("sub")}/undeploy`)).status, 200);
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} stops delivering`, async () => {
        const res = await node.call("POST", "/v1/accounts/default/events/order.created?sync=true", { n: 9 });
        return res.status === 200 && res.body.results.length === 0;
      });
    }
  });

  it("a payload quota set through one node is enforced by every node, and lifted by all", async () => {
    const [n1, , n3] = cluster.nodes();
    assert.equal(
      (await n1.call("PUT", `${fn("echo")}?deploy=true`, { source: `export default (e) => e.payload` }))
        .status,
      201,
    );
    const big = { text: "x".repeat(500) };
    for (const node of cluster.nodes()) {
      await eventually(
        `${node.url} runs echo`,
        async () => (await node.call("POST", `${fn("echo")}/invoke`, big)).status === 200,
      );
    }
    const patch = await n3.call(
      "PATCH",
      "/v1/accounts/default",
      { quotas: { payloadBytes: 100 } },
      CLUSTER_OPERATOR_KEY,
    );
    assert.equal(patch.status, 200, JSON.stringify(patch.body));
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} refuses the large payload`, async () => {
        const res = await node.call("POST", `${fn("echo")}/invoke`, big);
        return res.status === 413 && res.body.error.code === "RUNLET_ERR_QUOTA_PAYLOAD";
      });
    }
    const lift = await n1.call(
      "PATCH",
      "/v1/accounts/default",
      { quotas: { payloadBytes: null } },
      CLUSTER_OPERATOR_KEY,
    );
    assert.equal(lift.status, 200, JSON.stringify(lift.body));
    for (const node of cluster.nodes()) {
      await eventually(
        `${node.url} takes the large payload again`,
        async () => (await node.call("POST", `${fn("echo")}/invoke`, big)).status === 200,
      );
    }
  });
});
