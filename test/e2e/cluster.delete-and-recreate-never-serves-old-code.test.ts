import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually, fn } from "./cluster-nodes.js";
import { threeNodes } from "./three-nodes.js";

const A = `export default async () => "A"`;
const C = `export default async () => "C"`;

describe("three nodes: a function deleted on one and created again on another never answers its old code", () => {
  const cluster = threeNodes();

  it("node 3 serves the re-created version 1 (sync and async), never the deleted one", async () => {
    const [n1, n2, n3] = cluster.nodes();
    assert.equal((await n1.call("PUT", `${fn("f")}?deploy=true`, { source: A })).status, 201);
    // Node 3 learns f (and caches its record, version 1 and a warm instance).
    await eventually("node 3 answers A", async () => {
      const res = await n3.call("POST", `${fn("f")}/invoke`, {});
      return res.status === 200 && res.body === "A";
    });

    assert.equal((await n2.call("DELETE", fn("f"))).status, 204);
    await eventually("node 3 knows f is gone", async () => {
      const res = await n3.call("POST", `${fn("f")}/invoke`, {});
      if (res.status === 200)
        assert.equal(res.body, "A", "only the old code can answer before the delete lands");
      return res.status === 404 && res.body.error.code === "RUNLET_ERR_FUNCTION_NOT_FOUND";
    });

    const created = await n1.call("PUT", `${fn("f")}?deploy=true`, { source: C });
    assert.equal(created.status, 201);
    assert.equal(created.body.version, 1, "the same name and number as the deleted version");
    await eventually("node 3 answers C", async () => {
      const res = await n3.call("POST", `${fn("f")}/invoke`, {});
      assert.notEqual(res.body, "A", "node 3 resurrected deleted code");
      return res.status === 200 && res.body === "C";
    });
    // From now on, every node and every path answers C.
    for (const node of cluster.nodes()) {
      for (let i = 0; i < 5; i++) {
        const res = await node.call("POST", `${fn("f")}/invoke`, {});
        assert.deepEqual([res.status, res.body], [200, "C"]);
      }
      const queued = await node.call("POST", `${fn("f")}/invoke?async=true`, {});
      assert.equal(queued.status, 202, JSON.stringify(queued.body));
      const id = queued.body.activationId as string;
      await eventually(`async activation ${id} ends`, async () => {
        const res = await node.call("GET", `/v1/accounts/default/activations/${id}`);
        if (
          res.status !== 200 ||
          !["succeeded", "function_error", "platform_error"].includes(res.body.status)
        )
          return false;
        assert.deepEqual([res.body.status, res.body.result], ["succeeded", "C"]);
        return true;
      });
    }
  });
});
