// Cluster propagation: three real nodes (dist/main.js) on one PostgreSQL schema and NATS, caches polling
// only every ten minutes, so every change is carried by the cluster channel. Measured, per change made on
// one node (taking turns): the time from its HTTP answer to the moment each other node first answers the
// new state, polled as fast as a client can (a request at a time per node). Deploys: the next invocation
// runs the new version. Revocations: the next request with the key gets 401. Target: p99 ≤ 250 ms
// (deploys) and ≤ 1 s (revocations).
import { errorMessage, type BenchOutcome, type SummaryRow } from "./lib/report.js";
import { fmtMs, printTable } from "./lib/format.js";
import { runStandalone } from "./lib/standalone.js";
import { summarize } from "./lib/stats.js";
import { freshSchema } from "../test/helpers/postgres.js";
import { fn, startCluster, type Node } from "../test/e2e/cluster-nodes.js";

const DEPLOYS = Number(process.env.BENCH_CLUSTER_CHANGES ?? 60);
const REVOCATIONS = Math.ceil(DEPLOYS / 2);

/** Polls `node` until `seen` answers true; the ms from `since` (never below 0). */
async function firstSeen(node: Node, since: () => number, seen: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (!(await seen())) {
    if (Date.now() > deadline) throw new Error(`${node.url} did not see the change within 30 s`);
  }
  return Math.max(0, performance.now() - since());
}

export async function clusterBench(): Promise<BenchOutcome> {
  const pg = await freshSchema("runlet_bench");
  let nodes: Node[] = [];
  try {
    nodes = await startCluster(pg.url, 3);
    const deploys: number[] = [];
    for (let i = 1; i <= DEPLOYS; i++) {
      const writer = nodes[i % 3]!;
      const others = nodes.filter((n) => n !== writer);
      let answeredAt = Number.POSITIVE_INFINITY;
      const put = writer
        .call("PUT", `${fn("p")}?deploy=true`, { source: `export default () => ${i}` })
        .then((res) => {
          answeredAt = performance.now();
          if (res.status !== 201) throw new Error(`deploy ${i}: ${res.status} ${JSON.stringify(res.body)}`);
        });
      const seen = others.map((node) =>
        firstSeen(
          node,
          () => answeredAt,
          async () => (await node.call("POST", `${fn("p")}/invoke`, {})).body === i,
        ),
      );
      await put;
      deploys.push(...(await Promise.all(seen)));
    }
    const revocations: number[] = [];
    for (let i = 1; i <= REVOCATIONS; i++) {
      const writer = nodes[i % 3]!;
      const others = nodes.filter((n) => n !== writer);
      const created = await writer.call("POST", "/v1/accounts/default/keys", {
        name: `k${i}`,
        role: "developer",
      });
      const { id, key } = created.body as { id: string; key: string };
      for (const node of others) await node.call("GET", "/v1/accounts/default/functions", undefined, key);
      const res = await writer.call("DELETE", `/v1/accounts/default/keys/${id}`);
      const answeredAt = performance.now();
      if (res.status !== 204) throw new Error(`revoke ${id}: ${res.status}`);
      revocations.push(
        ...(await Promise.all(
          others.map((node) =>
            firstSeen(
              node,
              () => answeredAt,
              async () =>
                (await node.call("GET", "/v1/accounts/default/functions", undefined, key)).status === 401,
            ),
          ),
        )),
      );
    }
    const d = summarize(deploys);
    const r = summarize(revocations);
    printTable(
      "cluster: change on one node → seen on each other node (3 nodes, NATS channel, polling off)",
      ["change", "samples", "p50", "p90", "p99", "max"],
      [
        ["deploy", String(d.count), fmtMs(d.p50), fmtMs(d.p90), fmtMs(d.p99), fmtMs(d.max)],
        ["key revocation", String(r.count), fmtMs(r.p50), fmtMs(r.p90), fmtMs(r.p99), fmtMs(r.max)],
      ],
    );
    const rows: SummaryRow[] = [
      { measurement: "deploy seen on other nodes, p50", value: fmtMs(d.p50) },
      {
        measurement: "deploy seen on other nodes, p99",
        value: fmtMs(d.p99),
        target: "≤ 250 ms",
        met: d.p99 <= 250,
      },
      { measurement: "revoked key refused on other nodes, p50", value: fmtMs(r.p50) },
      {
        measurement: "revoked key refused on other nodes, p99",
        value: fmtMs(r.p99),
        target: "≤ 1 s",
        met: r.p99 <= 1000,
      },
    ];
    return { name: "cluster", rows, errors: [], data: { deploys: d, revocations: r } };
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await pg.drop();
  }
}

await runStandalone(import.meta.url, () =>
  clusterBench().catch((err) => ({ name: "cluster", rows: [], errors: [errorMessage(err)], data: {} })),
);
