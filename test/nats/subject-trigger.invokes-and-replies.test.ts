import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { connect, headers as natsHeaders, type NatsConnection } from "nats";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// The NATS server runs on the development machine and in CI: unreachable fails these tests, never skips.
const NATS_URL = process.env.RUNLET_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const prefix = `runlet-test.${randomBytes(4).toString("hex")}`;
const encode = (value: string) => new TextEncoder().encode(value);
const decode = (data: Uint8Array) => new TextDecoder().decode(data);

const ECHO = `export default async function (event) {
  if (event.payload && event.payload.fail) throw new Error("asked to fail");
  return { got: event.payload, type: event.type };
}`;

describe("NATS subject triggers", () => {
  let t: TestPlatform;
  let nc: NatsConnection;

  before(async () => {
    nc = await connect({ servers: NATS_URL });
    t = await startPlatform({ config: { natsUrl: NATS_URL } });
    await t.deploy("echo", ECHO, { queues: [{ subject: `${prefix}.echo` }] });
    await t.platform.triggers.settled();
  });

  after(async () => {
    await t.close();
    await nc.close();
  });

  it("answers a request with the function's result; JSON data arrives parsed", async () => {
    const msg = await nc.request(`${prefix}.echo`, encode(JSON.stringify({ n: 1 })), { timeout: 10_000 });
    assert.deepEqual(JSON.parse(decode(msg.data)), { got: { n: 1 }, type: `nats.${prefix}.echo` });
  });

  it("passes data that is not JSON as a string, and empty data as null", async () => {
    const text = await nc.request(`${prefix}.echo`, encode("plain words"), { timeout: 10_000 });
    assert.deepEqual(JSON.parse(decode(text.data)).got, "plain words");
    const empty = await nc.request(`${prefix}.echo`, new Uint8Array(), { timeout: 10_000 });
    assert.equal(JSON.parse(decode(empty.data)).got, null);
  });

  it("replies with an error JSON when the function fails, naming its activation", async () => {
    const msg = await nc.request(`${prefix}.echo`, encode(JSON.stringify({ fail: true })), {
      timeout: 10_000,
    });
    const body = JSON.parse(decode(msg.data));
    assert.equal(body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(body.error.message, /asked to fail/);
    assert.match(body.error.activationId, /^act_/);
    await t.platform.activations.flush();
    const res = await t.call("GET", `/v1/accounts/default/activations/${body.error.activationId}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.trigger, "queue");
    assert.equal(res.body.status, "function_error");
  });

  it("invokes the function for a plain publish (no reply), recorded with trigger queue", async () => {
    const marker = randomBytes(6).toString("hex");
    nc.publish(`${prefix}.echo`, encode(JSON.stringify({ marker })));
    await nc.flush();
    let found: { trigger: string; result: unknown } | undefined;
    for (let i = 0; i < 100 && !found; i++) {
      await t.platform.activations.flush();
      const res = await t.call("GET", "/v1/accounts/default/activations?function=echo&limit=50");
      found = res.body.activations.find(
        (a: { result: { got?: { marker?: string } } | null }) => a.result?.got?.marker === marker,
      );
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(found, "an activation ran for the published message");
    assert.equal(found.trigger, "queue");
  });

  it("hands the message's headers to the function, lower-cased; x-runlet-* are the platform's", async () => {
    await t.deploy("headers", `export default async (event) => event.headers`, {
      queues: [{ subject: `${prefix}.headers` }],
    });
    await t.platform.triggers.settled();
    const h = natsHeaders();
    h.set("Trace-Id", "abc");
    h.set("X-Runlet-Subject", "spoofed");
    const msg = await nc.request(`${prefix}.headers`, encode("{}"), { timeout: 10_000, headers: h });
    const seen = JSON.parse(decode(msg.data));
    assert.equal(seen["trace-id"], "abc");
    assert.equal(seen["x-runlet-subject"], `${prefix}.headers`);
  });

  it("a burst beyond the function's capacity waits for it instead of being refused", async () => {
    await t.deploy("narrow", ECHO, { queues: [{ subject: `${prefix}.narrow` }], maxInstances: 1 });
    await t.platform.triggers.settled();
    const count = 300;
    const replies = await Promise.all(
      Array.from({ length: count }, (_, n) =>
        nc.request(`${prefix}.narrow`, encode(JSON.stringify(n)), { timeout: 30_000 }),
      ),
    );
    const got = replies.map((r) => JSON.parse(decode(r.data)));
    assert.deepEqual(
      got.map((body) => body.got),
      Array.from({ length: count }, (_, n) => n),
      "every message ran and answered, none throttled",
    );
  });

  it("unsubscribes on undeploy and subscribes again on deploy", async () => {
    await t.deploy("gone", ECHO, { queues: [{ subject: `${prefix}.gone` }] });
    await t.platform.triggers.settled();
    const before = await nc.request(`${prefix}.gone`, encode("1"), { timeout: 10_000 });
    assert.equal(JSON.parse(decode(before.data)).got, 1);

    assert.equal((await t.call("POST", "/v1/accounts/default/functions/gone/undeploy")).status, 200);
    await t.platform.triggers.settled();
    // NATS answers a request that no subscriber receives with "no responders" at once.
    await assert.rejects(
      nc.request(`${prefix}.gone`, encode("2"), { timeout: 10_000 }),
      /503|no responders/i,
    );

    assert.equal((await t.call("POST", "/v1/accounts/default/functions/gone/deploy")).status, 200);
    await t.platform.triggers.settled();
    const again = await nc.request(`${prefix}.gone`, encode("3"), { timeout: 10_000 });
    assert.equal(JSON.parse(decode(again.data)).got, 3);

    assert.equal((await t.call("DELETE", "/v1/accounts/default/functions/gone")).status, 204);
    await t.platform.triggers.settled();
    await assert.rejects(
      nc.request(`${prefix}.gone`, encode("4"), { timeout: 10_000 }),
      /503|no responders/i,
    );
  });

  it("moves the subscription when a new version changes the subject", async () => {
    await t.deploy("mover", ECHO, { queues: [{ subject: `${prefix}.old` }] });
    await t.deploy("mover", ECHO, { queues: [{ subject: `${prefix}.new` }] });
    await t.platform.triggers.settled();
    const msg = await nc.request(`${prefix}.new`, encode("5"), { timeout: 10_000 });
    assert.equal(JSON.parse(decode(msg.data)).got, 5);
    await assert.rejects(nc.request(`${prefix}.old`, encode("6"), { timeout: 10_000 }), /503|no responders/i);
  });
});
