import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("events: published async (the default), each deployed subscriber gets one durable activation", () => {
  let t: TestPlatform;

  before(async () => {
    t = await startPlatform();
    const echo = (name: string) =>
      `export default async (event) => ({ fn: ${JSON.stringify(name)}, id: event.id, source: event.source, type: event.type, payload: event.payload })`;
    await t.deploy("first", echo("first"), { events: ["user.signed-up"] });
    await t.deploy("second", echo("second"), {
      events: [{ type: "user.signed-up", filter: { plan: "pro" } }],
    });
    await t.deploy("third", echo("third"), { events: ["user.signed-up"] });
    await t.call("POST", `/v1/accounts/${t.account}/functions/third/undeploy`);
  });
  after(() => t.close());

  /** Reads the activation until it leaves queued/running. */
  async function final(id: string) {
    for (let i = 0; i < 500; i++) {
      await t.platform.activations.flush();
      const res = await t.call("GET", `/v1/accounts/${t.account}/activations/${id}`);
      if (res.status === 200 && !["queued", "running"].includes(res.body.status)) return res.body;
      await sleep(20);
    }
    throw new Error(`activation ${id} did not finish`);
  }

  it("202 with one activation id per matching deployed subscriber; each runs with the CloudEvent's fields", async () => {
    const res = await t.call(
      "POST",
      `/v1/accounts/${t.account}/events/user.signed-up`,
      { plan: "pro" },
      {
        headers: {
          "ce-specversion": "1.0",
          "ce-id": "signup-1",
          "ce-source": "/auth",
          "ce-type": "user.signed-up",
        },
      },
    );
    assert.equal(res.status, 202, res.text);
    assert.equal(res.body.eventId, "signup-1");
    assert.equal(res.body.activationIds.length, 2, "first and second; not the undeployed third");
    const done = await Promise.all(res.body.activationIds.map(final));
    assert.deepEqual(done.map((a) => a.function).sort(), ["first", "second"]);
    for (const a of done) {
      assert.equal(a.status, "succeeded");
      assert.equal(a.trigger, "event");
      assert.deepEqual(a.result, {
        fn: a.function,
        id: "signup-1",
        source: "/auth",
        type: "user.signed-up",
        payload: { plan: "pro" },
      });
    }
  });

  it("a payload that fails a filter queues only the others", async () => {
    const res = await t.call("POST", `/v1/accounts/${t.account}/events/user.signed-up`, { plan: "free" });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.body.activationIds.length, 1);
    assert.equal((await final(res.body.activationIds[0])).function, "first");
  });
});
