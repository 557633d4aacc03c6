import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, it } from "node:test";
import { connect } from "nats";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

const NATS_URL = process.env.RUNLET_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const subject = `runlet-test.${randomBytes(4).toString("hex")}.shared`;
const SOURCE = `export default async function (event) { return { n: event.payload.n }; }`;

const nodes: TestPlatform[] = [];
after(async () => {
  for (const node of nodes) await node.close();
});

it("two nodes subscribed to one subject run each message once between them (queue group)", async () => {
  const nc = await connect({ servers: NATS_URL });
  try {
    for (let i = 0; i < 2; i++) {
      const node = await startPlatform({ config: { natsUrl: NATS_URL } });
      nodes.push(node);
      await node.deploy("shared", SOURCE, { queues: [{ subject }] });
      await node.platform.triggers.settled();
    }
    const count = 40;
    const replies = await Promise.all(
      Array.from({ length: count }, (_, n) =>
        nc.request(subject, new TextEncoder().encode(JSON.stringify({ n })), { timeout: 15_000 }),
      ),
    );
    const answered = replies.map((r) => (JSON.parse(new TextDecoder().decode(r.data)) as { n: number }).n);
    assert.deepEqual(
      answered,
      Array.from({ length: count }, (_, n) => n),
      "every request got its own answer",
    );

    const ran: number[] = [];
    for (const node of nodes) {
      await node.platform.activations.flush();
      const res = await node.call("GET", "/v1/accounts/default/activations?function=shared&limit=500");
      const list = (res.body.activations as { trigger: string; result: { n: number } }[]).filter(
        (a) => a.trigger === "queue",
      );
      ran.push(...list.map((a) => a.result.n));
    }
    assert.equal(ran.length, count, "each message ran once across both nodes, not once per node");
    assert.deepEqual(new Set(ran).size, count);
  } finally {
    await nc.close();
  }
});
