import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { FINAL_STATUSES } from "../../src/outcomes.js";
import { freshJetStream, NATS_URL } from "../helpers/jetstream.js";
import { freshSchema } from "../helpers/postgres.js";
import { closeAgent, masterKey, request, startNode, stopNode, type Node } from "./cluster-spawn.js";

const TOTAL = 400;
const SENDERS = 24;
const FINAL = new Set<string>(FINAL_STATUSES);
// What "soon after the death" means here: well inside the 30 s lease a claimed job would otherwise wait
// out, and generous for a noisy machine (the design's aim is a dead node's jobs running again in < 5 s).
const RERUN_WITHIN_MS = 15_000;

interface Seen {
  id: string;
  status: string;
  attempts: number;
  result: unknown;
  startedAt: string | number;
}

/** Every activation of the function, page by page. */
async function activations(url: string): Promise<Map<string, Seen>> {
  const seen = new Map<string, Seen>();
  let before: string | undefined;
  do {
    const res = await request(
      "GET",
      `${url}/v1/accounts/default/activations?function=work&limit=1000${before ? `&before=${before}` : ""}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const a of res.body.activations as Seen[]) seen.set(a.id, a);
    before = res.body.next;
  } while (before);
  return seen;
}

describe("three nodes under async load; one is SIGKILLed", () => {
  const nodes: Node[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const node of nodes) await stopNode(node);
    for (const cleanup of cleanups.reverse()) await cleanup();
    closeAgent();
  });

  for (const queue of ["store", "jetstream"] as const) {
    it(`RUNLET_QUEUE=${queue}: every accepted job ends, the dead node's soon after its death, counting the re-run`, async () => {
      const db = await freshSchema("runlet_cluster_kill");
      cleanups.push(() => db.drop());
      const stream = freshJetStream();
      cleanups.push(() => stream.drop());
      const env = {
        RUNLET_DATABASE_URL: db.url,
        RUNLET_MASTER_KEY: masterKey(),
        RUNLET_NATS_URL: NATS_URL,
        RUNLET_QUEUE: queue,
        RUNLET_JETSTREAM_PREFIX: stream.prefix,
        RUNLET_QUEUE_POLL_MS: "100",
        // The default lease: only the heartbeat (or JetStream's ack wait) can bring the jobs back sooner.
        RUNLET_QUEUE_LEASE_MS: "30000",
      };
      const cluster: Node[] = [];
      for (let i = 0; i < 3; i++) cluster.push(await startNode(env));
      nodes.push(...cluster);
      const [a, , victim] = cluster as [Node, Node, Node];
      const deploy = await request("PUT", `${a.url}/v1/accounts/default/functions/work?deploy=true`, {
        // In flight for a while, so the kill finds runs started and not finished.
        source:
          "export default async (e) => { await new Promise(r => setTimeout(r, 200)); return e.payload.n }",
        concurrency: 16,
        maxInstances: 2,
      });
      assert.equal(deploy.status, 201, JSON.stringify(deploy.body));

      const accepted = new Map<string, number>();
      let next = 0;
      let killedAt = 0;
      const send = async (sender: number) => {
        while (next < TOTAL) {
          const n = next++;
          const live = killedAt ? cluster.slice(0, 2) : cluster;
          const node = live[sender % live.length]!;
          try {
            const res = await request(
              "POST",
              `${node.url}/v1/accounts/default/functions/work/invoke?async=true`,
              { n },
            );
            if (res.status === 202) accepted.set(res.body.activationId as string, n);
            else assert.fail(`unexpected ${res.status} ${JSON.stringify(res.body)}`);
          } catch (err) {
            // The connection died with the killed node: never accepted (and not sent again).
            if (node !== victim || !killedAt) throw err;
          }
          if (!killedAt && accepted.size >= TOTAL / 2) {
            killedAt = Date.now();
            victim.proc.kill("SIGKILL");
          }
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, (_, i) => send(i)));
      await victim.exited;
      assert.ok(killedAt > 0);

      // Every accepted job ends (bounded: a stuck one fails the test, it never hangs).
      let seen = new Map<string, Seen>();
      const until = Date.now() + 60_000;
      for (;;) {
        seen = await activations(a.url);
        const open = [...accepted.keys()].filter((id) => !FINAL.has(seen.get(id)?.status ?? "missing"));
        if (open.length === 0) break;
        if (Date.now() > until) assert.fail(`${open.length} accepted jobs never ended, e.g. ${open[0]}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      for (const [id, n] of accepted) {
        const activation = seen.get(id)!;
        assert.equal(activation.status, "succeeded", `${id}: ${JSON.stringify(activation)}`);
        assert.equal(activation.result, n, "its own payload's answer");
      }
      // The killed node had runs in flight: they ran again on the others, counted, soon after the death.
      const rerun = [...accepted.keys()].map((id) => seen.get(id)!).filter((s) => s.attempts > 1);
      assert.ok(rerun.length >= 1, "the killed node's claimed jobs ran again");
      const latest = Math.max(...rerun.map((s) => new Date(s.startedAt).getTime()));
      assert.ok(
        latest - killedAt < RERUN_WITHIN_MS,
        `a re-run started ${latest - killedAt} ms after the kill, not soon after it`,
      );
      process.stdout.write(
        `# ${queue}: accepted ${accepted.size}, re-run after the kill ${rerun.length}, last re-run started ${latest - killedAt} ms after the kill\n`,
      );
      for (const node of cluster) await stopNode(node);
    });
  }
});
