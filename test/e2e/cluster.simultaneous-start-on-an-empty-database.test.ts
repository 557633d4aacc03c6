import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";
import { startCluster, type Node } from "./cluster-nodes.js";

describe("three nodes started at the same moment on an empty database", () => {
  let pg: FreshSchema;
  let nodes: Node[] = [];

  before(async () => {
    pg = await freshSchema();
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await pg.drop();
  });

  it("all start; exactly one creates the default account and its admin key; each serves it", async () => {
    // Example on: the node that creates the account also deploys the example, and only that one.
    nodes = await startCluster(pg.url, 3, { RUNLET_EXAMPLE: "true" });
    const creators = nodes.filter((node) => /created account "default"/.test(node.output()));
    assert.equal(creators.length, 1, nodes.map((n) => n.output()).join("\n---\n"));
    assert.deepEqual(await pg.query(`select name from accounts`), [{ name: "default" }]);
    assert.equal((await pg.query(`select id from api_keys`)).length, 1);
    assert.deepEqual(await pg.query(`select name, latest_version from functions`), [
      { name: "example", latest_version: 1 },
    ]);
    assert.equal(
      (await pg.query(`select value from cluster_settings where name = 'master_key_id'`)).length,
      1,
    );
    for (const node of nodes) {
      const res = await node.call("POST", "/v1/accounts/default/functions/example/invoke", {
        name: "Ada",
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.greeting, "Hello, Ada!");
    }
  });
});
