import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, fn } from "./cluster-nodes.js";
import { threeNodes } from "./three-nodes.js";

// The nodes poll only every ten minutes (cluster-nodes.ts): what reaches them here came over NATS.
describe("three nodes: a change made on one reaches the others over the cluster channel", () => {
  const cluster = threeNodes();

  it("every node says it hears changes over NATS", async () => {
    for (const node of cluster.nodes()) {
      const res = await fetch(`${node.url}/readyz`);
      assert.deepEqual([res.status, await res.json()], [200, { status: "ready", changes: "nats" }]);
    }
  });

  it("a deploy, a rollback and an undeploy on one node are what every node runs", async () => {
    const [n1, n2, n3] = cluster.nodes();
    const answers = async (expected: unknown) => {
      for (const node of cluster.nodes()) {
        await eventually(`${node.url} answers ${JSON.stringify(expected)}`, async () => {
          const res = await node.call("POST", `${fn("g")}/invoke`, {});
          return res.status === 200 && res.body === expected;
        });
      }
    };
    assert.equal(
      (await n1.call("PUT", `${fn("g")}?deploy=true`, { source: `export default () => 1` })).status,
      201,
    );
    await answers(1);
    assert.equal(
      (await n2.call("PUT", `${fn("g")}?deploy=true`, { source: `export default () => 2` })).status,
      201,
    );
    await answers(2);
    assert.equal((await n3.call("POST", `${fn("g")}/deploy`, { version: 1 })).status, 200);
    await answers(1);
    assert.equal((await n1.call("POST", `${fn("g")}/undeploy`)).status, 200);
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} refuses the undeployed function`, async () => {
        const res = await node.call("POST", `${fn("g")}/invoke`, {});
        return res.status === 409 && res.body.error.code === "RUNLET_ERR_NOT_DEPLOYED";
      });
    }
  });

  it("an allowlist change on one node lets every node's functions fetch that host", async () => {
    const [n1] = cluster.nodes();
    // .invalid never resolves: once allowed, the fetch gets past the allowlist and fails at DNS instead.
    const source = `export default async () => {
      try { await fetch("https://api.example.invalid/"); return "fetched"; }
      catch (e) { return /not on the account's allowlist/.test(String(e.message)) ? "blocked" : "allowed"; }
    }`;
    assert.equal((await n1.call("PUT", `${fn("out")}?deploy=true`, { source })).status, 201);
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} blocks the host`, async () => {
        const res = await node.call("POST", `${fn("out")}/invoke`, {});
        return res.status === 200 && res.body === "blocked";
      });
    }
    const put = await n1.call("PUT", "/v1/accounts/default/allowlist", { domains: ["api.example.invalid"] });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} lets the host through`, async () => {
        const res = await node.call("POST", `${fn("out")}/invoke`, {});
        return res.status === 200 && res.body === "allowed";
      });
    }
    assert.equal(
      (await cluster.nodes()[2]!.call("PUT", "/v1/accounts/default/allowlist", { domains: [] })).status,
      200,
    );
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} blocks the host again`, async () => {
        const res = await node.call("POST", `${fn("out")}/invoke`, {});
        return res.status === 200 && res.body === "blocked";
      });
    }
  });
});
