import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";
import { connect } from "nats";
import { JetStreamQueue } from "../../src/queue/jetstream-queue.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { NATS_URL, freshJetStream } from "../helpers/jetstream.js";
import { queueContract } from "./queue.contract.js";

// Its own streams, consumer and bucket, deleted at the end, so runs never see each other's jobs.
const stream = freshJetStream();
const prefix = stream.prefix;
const dir = mkdtempSync(path.join(tmpdir(), "runlet-jsq-"));
after(() => rmSync(dir, { recursive: true, force: true }));

queueContract("jetstream", async () => {
  const nc = await connect({ servers: NATS_URL });
  const store = await openSqliteStore(path.join(dir, "runlet.db"));
  // The contract's lease is 300 ms: the ack wait a silent holder's jobs wait before they are re-delivered.
  const queue = await JetStreamQueue.open(nc, {
    prefix,
    ackWaitMs: 300,
    maxDeliver: 20,
    replicas: 1,
    writeActivations: (rows) => store.activations.insertMany(rows),
  });
  return {
    queue,
    async close() {
      await queue.close();
      await nc.close();
      await stream.drop();
      await store.close();
    },
  };
});
