import assert from "node:assert/strict";
import { it } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.js";
import { startPlatform } from "../helpers/platform.js";
import { fastQueue } from "./helpers.js";

it("RUNLET_QUEUE=jetstream with a NATS that answers nothing fails to start, naming the URL and the variable", async () => {
  // Port 1 on loopback: nothing listens, so the connection is refused at once.
  await assert.rejects(
    startPlatform({
      config: { natsUrl: "nats://127.0.0.1:1", queue: fastQueue({ backend: "jetstream" }) },
    }),
    /cannot reach NATS at nats:\/\/127\.0\.0\.1:1 \(RUNLET_NATS_URL\)/,
  );
});

it("a bad RUNLET_QUEUE, or jetstream without RUNLET_NATS_URL, is a configuration error saying what to set", () => {
  assert.throws(
    () => loadConfig({ RUNLET_QUEUE: "kafka" }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /RUNLET_QUEUE=kafka is invalid: use store .* or jetstream/.test(err.message),
  );
  assert.throws(
    () => loadConfig({ RUNLET_QUEUE: "jetstream" }),
    (err: unknown) => err instanceof ConfigError && /needs RUNLET_NATS_URL/.test(err.message),
  );
  assert.throws(
    () =>
      loadConfig({
        RUNLET_QUEUE: "jetstream",
        RUNLET_NATS_URL: "nats://x:4222",
        RUNLET_JETSTREAM_PREFIX: "a.b",
      }),
    (err: unknown) =>
      err instanceof ConfigError && /RUNLET_JETSTREAM_PREFIX=a\.b is invalid/.test(err.message),
  );
  const ok = loadConfig({ RUNLET_QUEUE: "jetstream", RUNLET_NATS_URL: "nats://x:4222" });
  assert.equal(ok.queue.backend, "jetstream");
  assert.deepEqual(ok.queue.jetstream, { prefix: "RUNLET", replicas: 1, ackWaitMs: 3000, maxDeliver: 10 });
});
