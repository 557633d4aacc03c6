import assert from "node:assert/strict";
import { it } from "node:test";
import { startPlatform } from "../helpers/platform.js";

it("a node whose RUNLET_NATS_URL answers nothing fails to start, naming the URL and the variable", async () => {
  // Port 1 on loopback: nothing listens, so the connection is refused at once.
  await assert.rejects(
    startPlatform({ config: { natsUrl: "nats://127.0.0.1:1" } }),
    /cannot reach NATS at nats:\/\/127\.0\.0\.1:1 \(RUNLET_NATS_URL\)/,
  );
});
