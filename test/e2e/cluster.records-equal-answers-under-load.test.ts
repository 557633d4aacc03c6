import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, it } from "node:test";
import { FINAL_STATUSES } from "../../src/outcomes.js";
import { freshSchema } from "../helpers/postgres.js";
import { closeAgent, masterKey, request, startNode, stopNode, type Node } from "./cluster-spawn.js";

// Issue 11's proof: under sustained load on three nodes, every answered invocation has exactly one
// activation record, the records are written once (updates only for status changes), and no node's
// memory runs away.
const SYNC = 1_500;
const ASYNC = 300;
const IN_FLIGHT = 24;
const RSS_BOUND_KB = 1.5 * 1024 * 1024; // 1.5 GB: generous, the bug grew heaps to 3.8 GB
const FINAL = new Set<string>(FINAL_STATUSES);

const nodes: Node[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const node of nodes) await stopNode(node);
  for (const cleanup of cleanups.reverse()) await cleanup();
  closeAgent();
});

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  assert.ok(match, `no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}

it("three nodes under load: activation records equal answered invocations, written once, memory bounded", async () => {
  const db = await freshSchema("runlet_cluster_records");
  cleanups.push(() => db.drop());
  const env = { RUNLET_DATABASE_URL: db.url, RUNLET_MASTER_KEY: masterKey() };
  for (let i = 0; i < 3; i++) nodes.push(await startNode(env));
  const cluster = [...nodes];
  const deploy = await request("PUT", `${cluster[0]!.url}/v1/accounts/default/functions/echo?deploy=true`, {
    source: "export default async (e) => e.payload.n",
  });
  assert.equal(deploy.status, 201, JSON.stringify(deploy.body));

  // Sustained load, round robin over the nodes, IN_FLIGHT at a time (keep-alive agent of cluster-spawn).
  const statuses = new Map<string, number>();
  const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
  const accepted = new Set<string>();
  let syncAnswered = 0;
  let next = 0;
  const send = async () => {
    while (next < SYNC + ASYNC) {
      const n = next++;
      const node = cluster[n % cluster.length]!;
      // Every sixth request is async, so both kinds run side by side for the whole load.
      const async = n % 6 === 5;
      const res = await request(
        "POST",
        `${node.url}/v1/accounts/default/functions/echo/invoke${async ? "?async=true" : ""}`,
        { n },
      );
      count(
        `${async ? "async" : "sync"} ${res.status}${res.status >= 300 ? ` ${res.body?.error?.code}` : ""}`,
      );
      if (async && res.status === 202) accepted.add(res.body.activationId as string);
      else if (!async && res.status >= 200 && res.status < 300) {
        assert.equal(res.body, n, "its own payload's answer");
        syncAnswered++;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, () => send()));
  const sent = SYNC + ASYNC;
  assert.equal(
    syncAnswered + accepted.size,
    sent,
    `every request answered: ${JSON.stringify([...statuses])}`,
  );

  // Every accepted async job ends (bounded poll of the activations API).
  const until = Date.now() + 60_000;
  for (;;) {
    const ended = new Set<string>();
    let before: string | undefined;
    do {
      const res = await request(
        "GET",
        `${cluster[1]!.url}/v1/accounts/default/activations?function=echo&limit=1000${before ? `&before=${before}` : ""}`,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      for (const a of res.body.activations as { id: string; status: string }[])
        if (FINAL.has(a.status)) ended.add(a.id);
      before = res.body.next;
    } while (before);
    const open = [...accepted].filter((id) => !ended.has(id));
    if (open.length === 0) break;
    if (Date.now() > until) assert.fail(`${open.length} accepted async jobs never ended, e.g. ${open[0]}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  const rss = await Promise.all(cluster.map((node) => rssKb(node.proc.pid!)));
  // Graceful stop: each node flushes its pending records before it exits, and its PostgreSQL sessions
  // end, which sends their table statistics to the cumulative stats.
  for (const node of cluster) await stopNode(node);

  const [{ records }] = (await db.query<{ records: string }>(
    "select count(*) as records from activations",
  )) as [{ records: string }];
  const [{ duplicates }] = (await db.query<{ duplicates: string }>(
    "select count(*) - count(distinct (account, id)) as duplicates from activations",
  )) as [{ duplicates: string }];
  // A backend's stats reach the shared view at its exit (or ~1 s later); read until they stop changing.
  let updates = -1;
  let inserts = 0;
  const statsUntil = Date.now() + 10_000;
  for (;;) {
    const rows = await db.query<{ n_tup_ins: string; n_tup_upd: string }>(
      "select pg_stat_clear_snapshot(), n_tup_ins, n_tup_upd from pg_stat_user_tables where schemaname = $1 and relname = 'activations'",
      [db.schema],
    );
    assert.equal(rows.length, 1, "pg_stat_user_tables knows the table");
    const seen = Number(rows[0]!.n_tup_upd);
    inserts = Number(rows[0]!.n_tup_ins);
    if (seen === updates && inserts >= Number(records)) break;
    if (Date.now() > statsUntil) break;
    updates = seen;
    await new Promise((r) => setTimeout(r, 500));
  }

  const answered = syncAnswered + accepted.size;
  const line =
    `# ${sent} invocations on 3 nodes (${syncAnswered} sync answered, ${accepted.size} async accepted): ` +
    `${records} activation records, n_tup_ins ${inserts}, n_tup_upd ${updates}, RSS after the load ${rss.map((kb) => `${Math.round(kb / 1024)} MB`).join(", ")}`;
  process.stdout.write(`${line}\n`);
  assert.equal(Number(duplicates), 0, "no activation recorded twice");
  assert.equal(Number(records), answered, "one activation record per answered invocation, exactly");
  // The statistics did arrive (else the bound below would hold vacuously).
  assert.ok(
    inserts >= Number(records),
    `pg_stat_user_tables shows ${inserts} inserts, not yet the ${records} rows`,
  );
  assert.ok(updates <= 2 * sent, `n_tup_upd ${updates} > 2 × ${sent} invocations: records rewritten`);
  for (const [i, kb] of rss.entries())
    assert.ok(kb < RSS_BOUND_KB, `node ${i + 1} RSS ${Math.round(kb / 1024)} MB, over the bound`);
});
