// Failover, for bench/cluster.ts: three nodes running async jobs on one queue (the database's, or
// JetStream); one node is SIGKILLed half-way through the submissions. Measured from the activation
// records: the time from the kill to the start of the last re-run (attempts > 1) on a surviving node,
// and whether every accepted job ended.
import { FINAL_STATUSES } from "../../src/outcomes.js";
import { freshJetStream } from "../../test/helpers/jetstream.js";
import { freshSchema } from "../../test/helpers/postgres.js";
import { fn, startCluster, type Node } from "../../test/e2e/cluster-nodes.js";

const FINAL = new Set<string>(FINAL_STATUSES);
const SENDERS = 12;

export interface Failover {
  queue: string;
  accepted: number;
  ended: number;
  succeeded: number;
  rerun: number;
  /** ms from the SIGKILL to the start of the last re-run; NaN when the killed node had no claimed job. */
  lastRerunMs: number;
}

interface Seen {
  id: string;
  status: string;
  attempts: number;
  startedAt: string | number | null;
}

async function activations(node: Node, name: string): Promise<Map<string, Seen>> {
  const seen = new Map<string, Seen>();
  let before: string | undefined;
  do {
    const res = await node.call(
      "GET",
      `/v1/accounts/default/activations?function=${name}&limit=1000${before ? `&before=${before}` : ""}`,
    );
    if (res.status !== 200) throw new Error(`activations: ${res.status} ${JSON.stringify(res.body)}`);
    for (const a of res.body.activations as Seen[]) seen.set(a.id, a);
    before = res.body.next as string | undefined;
  } while (before);
  return seen;
}

/** One failover run on a fresh schema (and JetStream prefix) with `jobs` async jobs of 200 ms each. */
export async function measureFailover(queue: "store" | "jetstream", jobs: number): Promise<Failover> {
  const db = await freshSchema("runlet_bench_failover");
  const stream = freshJetStream();
  let nodes: Node[] = [];
  try {
    nodes = await startCluster(db.url, 3, {
      RUNLET_QUEUE: queue,
      RUNLET_JETSTREAM_PREFIX: stream.prefix,
      RUNLET_QUEUE_POLL_MS: "100",
      // The default lease: only the heartbeat (or JetStream's ack wait) brings a dead node's jobs back sooner.
      RUNLET_QUEUE_LEASE_MS: "30000",
    });
    const [a, , victim] = nodes as [Node, Node, Node];
    const name = "failover";
    const deploy = await a.call("PUT", `${fn(name)}?deploy=true`, {
      source:
        "export default async (e) => { await new Promise(r => setTimeout(r, 200)); return e.payload.n }",
      concurrency: 16,
      maxInstances: 2,
    });
    if (deploy.status !== 201) throw new Error(`deploy: ${deploy.status} ${JSON.stringify(deploy.body)}`);

    const accepted = new Set<string>();
    let next = 0;
    let killedAt = 0;
    const send = async (sender: number) => {
      while (next < jobs) {
        next++;
        const live = killedAt ? nodes.slice(0, 2) : nodes;
        const node = live[sender % live.length]!;
        try {
          const res = await node.call("POST", `${fn(name)}/invoke?async=true`, { n: next });
          if (res.status !== 202) throw new Error(`async invoke: ${res.status} ${JSON.stringify(res.body)}`);
          accepted.add(res.body.activationId as string);
        } catch (err) {
          // The connection died with the killed node: never accepted.
          if (node !== victim || !killedAt) throw err;
        }
        if (!killedAt && accepted.size >= jobs / 2) {
          killedAt = Date.now();
          victim.proc.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, (_, i) => send(i)));

    let seen = new Map<string, Seen>();
    const until = Date.now() + 60_000;
    const ended = () => [...accepted].filter((id) => FINAL.has(seen.get(id)?.status ?? "missing")).length;
    for (;;) {
      seen = await activations(a, name);
      if (ended() === accepted.size || Date.now() > until) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const mine = [...accepted].map((id) => seen.get(id)).filter((s): s is Seen => s !== undefined);
    const rerun = mine.filter((s) => s.attempts > 1 && s.startedAt !== null);
    const lastRerunMs = rerun.length
      ? Math.max(...rerun.map((s) => new Date(s.startedAt!).getTime())) - killedAt
      : Number.NaN;
    return {
      queue,
      accepted: accepted.size,
      ended: ended(),
      succeeded: mine.filter((s) => s.status === "succeeded").length,
      rerun: rerun.length,
      lastRerunMs,
    };
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await stream.drop();
    await db.drop();
  }
}
