import { after, before } from "node:test";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";
import { startCluster, type Node } from "./cluster-nodes.js";

/**
 * For a describe block: three nodes on a fresh PostgreSQL schema, started before its tests and stopped
 * (schema dropped) after them. `nodes()` gives them once started.
 */
export function threeNodes(): { nodes: () => [Node, Node, Node]; pg: () => FreshSchema } {
  let pg: FreshSchema | undefined;
  let nodes: Node[] = [];
  before(async () => {
    pg = await freshSchema();
    nodes = await startCluster(pg.url);
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await pg?.drop();
  });
  return { nodes: () => nodes as [Node, Node, Node], pg: () => pg! };
}
