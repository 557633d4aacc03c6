import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually } from "./cluster-nodes.js";
import { threeNodes } from "./three-nodes.js";

// The nodes trust cached keys for ten minutes (cluster-nodes.ts): only the cluster channel can stop them.
describe("three nodes: a key revoked on one is refused by all", () => {
  const cluster = threeNodes();

  it("each node accepts the key, then after the revocation answers 401 RUNLET_ERR_UNAUTHENTICATED", async () => {
    const [n1, n2] = cluster.nodes();
    const created = await n1.call("POST", "/v1/accounts/default/keys", { name: "ci", role: "developer" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, key } = created.body as { id: string; key: string };
    for (const node of cluster.nodes()) {
      // Each node looks it up once and caches it as live.
      const res = await node.call("GET", "/v1/accounts/default/functions", undefined, key);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    assert.equal((await n2.call("DELETE", `/v1/accounts/default/keys/${id}`)).status, 204);
    for (const node of cluster.nodes()) {
      await eventually(`${node.url} refuses the revoked key`, async () => {
        const res = await node.call("GET", "/v1/accounts/default/functions", undefined, key);
        return res.status === 401 && res.body.error.code === "RUNLET_ERR_UNAUTHENTICATED";
      });
      // And keeps serving the admin key.
      assert.equal((await node.call("GET", "/v1/accounts/default/functions")).status, 200);
    }
  });
});
