import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";
import { spawnNode, type Node } from "./cluster-nodes.js";

describe("a node that cannot join the cluster refuses to start, saying why and how to fix it", () => {
  let pg: FreshSchema;
  let first: Node | undefined;

  before(async () => {
    pg = await freshSchema();
  });
  after(async () => {
    await first?.stop();
    await pg.drop();
  });

  it("on PostgreSQL, without a master key: exits 1 and says how to make one", async () => {
    const { code, output } = await spawnNode(pg.url, { RUNLET_MASTER_KEY: "" }).exited();
    assert.equal(code, 1, output);
    assert.match(output, /on PostgreSQL every node needs the same master key/);
    assert.match(output, /openssl rand -hex 32/);
    assert.match(output, /RUNLET_MASTER_KEY/);
  });

  it("with another master key than the nodes already running: exits 1, the running node is unharmed", async () => {
    first = await spawnNode(pg.url).ready();
    const { code, output } = await spawnNode(pg.url, { RUNLET_MASTER_KEY: "d2".repeat(32) }).exited();
    assert.equal(code, 1, output);
    assert.match(
      output,
      /master key \(id [0-9a-f]{16}\) is not the one this database was first started with/,
    );
    assert.match(output, /give every node the same RUNLET_MASTER_KEY/);
    assert.equal((await first.call("GET", "/v1/accounts/default/functions")).status, 200);
  });

  it("PostgreSQL unreachable: exits 1 naming PostgreSQL and RUNLET_DATABASE_URL", async () => {
    const { code, output } = await spawnNode("postgres://postgres@127.0.0.1:1/test").exited();
    assert.equal(code, 1, output);
    assert.match(output, /cannot reach PostgreSQL at 127\.0\.0\.1:1\/test \(RUNLET_DATABASE_URL\)/);
  });

  it("NATS unreachable: exits 1 naming NATS and RUNLET_NATS_URL", async () => {
    const { code, output } = await spawnNode(pg.url, { RUNLET_NATS_URL: "nats://127.0.0.1:1" }).exited();
    assert.equal(code, 1, output);
    assert.match(output, /cannot reach NATS at nats:\/\/127\.0\.0\.1:1 \(RUNLET_NATS_URL\)/);
  });
});
