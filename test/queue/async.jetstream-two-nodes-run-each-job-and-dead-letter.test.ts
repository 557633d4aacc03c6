import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { freshSchema } from "../helpers/postgres.js";
import { NATS_URL, freshJetStream } from "../helpers/jetstream.js";
import { fastQueue, invokeAsync, settled, waitFor } from "./helpers.js";

describe("RUNLET_QUEUE=jetstream: two nodes on one PostgreSQL and one JetStream", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("runs every job once, retries a failing one, dead-letters it and redrives it", async () => {
    const db = await freshSchema("runlet_jsq");
    cleanups.push(() => db.drop());
    const stream = freshJetStream();
    cleanups.push(() => stream.drop());
    const queue = fastQueue({
      backend: "jetstream",
      jetstream: { prefix: stream.prefix, replicas: 1, ackWaitMs: 2000, maxDeliver: 10 },
    });
    const nodes: TestPlatform[] = [];
    for (let i = 0; i < 2; i++) {
      const node = await startPlatform({ databaseUrl: db.url, config: { queue, natsUrl: NATS_URL } });
      cleanups.push(() => node.close());
      nodes.push(node);
    }
    const [a, b] = nodes as [TestPlatform, TestPlatform];
    await a.deploy("count", "export default async (e) => e.payload.n", { concurrency: 8 });
    await a.deploy("fail", "export default async () => { throw new Error('no'); }", {
      retry: { attempts: 2, initialDelayMs: 10 },
    });

    const ids = await Promise.all(
      Array.from({ length: 100 }, async (_, n) => {
        const res = await invokeAsync(n % 2 ? a : b, "count", { n });
        assert.equal(res.status, 202, res.text);
        return [res.body.activationId as string, n] as const;
      }),
    );
    for (const [id, n] of ids) {
      const activation = await settled(n % 2 ? b : a, id);
      assert.equal(activation.status, "succeeded");
      assert.equal(activation.result, n);
      assert.equal(activation.attempts, 1, `${id} ran once`);
    }

    const failed = await invokeAsync(b, "fail", {});
    assert.equal(failed.status, 202, failed.text);
    const id = failed.body.activationId as string;
    const dead = await settled(a, id);
    assert.equal(dead.status, "function_error");
    assert.equal(dead.attempts, 2, "ran twice, as its retry policy says");
    const listed = await waitFor("the dead letter", async () => {
      const res = await a.call("GET", "/v1/accounts/default/dlq");
      return res.body.dlq?.length === 1 ? res.body.dlq : undefined;
    });
    assert.equal(listed[0].id, id);
    const redriven = await b.call("POST", `/v1/accounts/default/dlq/${id}/redrive`);
    assert.equal(redriven.status < 300, true, redriven.text);
    const again = await waitFor("the redriven run to fail again", async () => {
      const res = await a.call("GET", "/v1/accounts/default/dlq");
      return res.body.dlq?.length === 1 && res.body.dlq[0].failedAt !== listed[0].failedAt
        ? res.body.dlq
        : undefined;
    });
    assert.equal(again[0].id, id, "dead-lettered again after running again");
    assert.equal(await a.platform.async.dead("default", 10).then((d) => d.length), 1);
  });
});
