import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

/** A subscriber that answers with its name and the event it got. */
const echo = (name: string) =>
  `export default async (event) => ({ fn: ${JSON.stringify(name)}, id: event.id, type: event.type, source: event.source, time: event.time, payload: event.payload })`;

describe("events: a published event reaches exactly the deployed subscribers of its type in the account", () => {
  let t: TestPlatform;
  const publish = (type: string, body: unknown, query = "?sync=true", headers?: Record<string, string>) =>
    t.call("POST", `/v1/accounts/${t.account}/events/${type}${query}`, body, headers ? { headers } : {});

  before(async () => {
    t = await startPlatform();
    await t.deploy("plain", echo("plain"), { events: ["order.created", "order.paid"] });
    await t.deploy("gold-only", echo("gold-only"), {
      events: [{ type: "order.created", filter: { "customer.tier": ["gold", "platinum"] } }],
    });
    await t.deploy("other-type", echo("other-type"), { events: ["order.shipped"] });
    await t.deploy("failing", `export default async () => { throw new Error("listener broke") }`, {
      events: ["order.failed"],
    });
    await t.deploy("gone", echo("gone"), { events: ["order.created"] });
    assert.equal((await t.call("POST", `/v1/accounts/${t.account}/functions/gone/undeploy`)).status, 200);
    const draft = await t.call("PUT", `/v1/accounts/${t.account}/functions/draft`, {
      source: echo("draft"),
      events: ["order.created"],
    });
    assert.equal(draft.status, 201, draft.text);
    await t.platform.store.accounts.create({ name: "other", createdAt: Date.now() });
    await t.platform.functions.put(
      "other",
      "theirs",
      { source: echo("theirs"), events: ["order.created"] },
      true,
    );
  });
  after(() => t.close());

  it("?sync=true runs every matching subscriber and returns all their answers", async () => {
    const res = await publish("order.created", { customer: { tier: "gold" }, total: 12 });
    assert.equal(res.status, 200, res.text);
    const results = res.body.results as {
      function: string;
      status: string;
      result: Record<string, unknown>;
    }[];
    assert.deepEqual(
      results.map((r) => r.function),
      ["gold-only", "plain"],
      "not the undeployed one, the draft, another type's or another account's",
    );
    for (const r of results) {
      assert.equal(r.status, "succeeded");
      assert.equal(r.result.fn, r.function);
      assert.equal(r.result.type, "order.created");
      assert.equal(r.result.id, res.body.eventId, "the handler sees the event's id");
      assert.equal(r.result.source, `/accounts/${t.account}/events`);
      assert.deepEqual(r.result.payload, { customer: { tier: "gold" }, total: 12 });
      assert.ok(!Number.isNaN(Date.parse(r.result.time as string)));
    }
    await t.platform.activations.flush();
    const activations = await t.call("GET", `/v1/accounts/${t.account}/activations?function=plain`);
    assert.equal(activations.body.activations[0].trigger, "event");
  });

  it("an event carrying a W3C traceparent puts each subscriber in that trace, with a span of its own", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const res = await publish("order.created", { customer: { tier: "gold" } }, "?sync=true", { traceparent });
    assert.equal(res.status, 200, res.text);
    await t.platform.activations.flush();
    for (const r of res.body.results) {
      const a = (await t.call("GET", `/v1/accounts/${t.account}/activations/${r.activationId}`)).body;
      const [, traceId, spanId] = a.traceparent.split("-");
      assert.equal(traceId, "0af7651916cd43dd8448eb211c80319c");
      assert.notEqual(spanId, "b7ad6b7169203331");
    }
  });

  it("a payload filter leaves out a subscriber whose filter the payload fails", async () => {
    const res = await publish("order.created", { customer: { tier: "silver" } });
    assert.deepEqual(
      res.body.results.map((r: { function: string }) => r.function),
      ["plain"],
    );
  });

  it("a failing subscriber's status and error are in its result; the others still answer", async () => {
    await t.deploy("also-failed", echo("also-failed"), { events: ["order.failed"] });
    const res = await publish("order.failed", {});
    assert.equal(res.status, 200, res.text);
    const byName = Object.fromEntries(res.body.results.map((r: { function: string }) => [r.function, r]));
    assert.equal(byName.failing.status, "function_error");
    assert.equal(byName.failing.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.equal(byName["also-failed"].status, "succeeded");
  });

  it("an event nobody subscribes to is accepted and says so", async () => {
    const sync = await publish("nobody.listens", { x: 1 });
    assert.equal(sync.status, 200, sync.text);
    assert.deepEqual(sync.body.results, []);
    const queued = await publish("nobody.listens", { x: 1 }, "");
    assert.equal(queued.status, 202, queued.text);
    assert.deepEqual(queued.body.activationIds, []);
  });

  it("deploys and undeploys change who is reached at once", async () => {
    await t.deploy("late", echo("late"), { events: ["order.paid"] });
    let res = await publish("order.paid", {});
    assert.deepEqual(
      res.body.results.map((r: { function: string }) => r.function),
      ["late", "plain"],
    );
    await t.call("POST", `/v1/accounts/${t.account}/functions/late/undeploy`);
    // A new version of plain that no longer subscribes to order.paid.
    await t.deploy("plain", echo("plain"), { events: ["order.created"] });
    res = await publish("order.paid", {});
    assert.deepEqual(res.body.results, []);
  });

  it("the other account's subscriber is reached only through its own account", async () => {
    const res = await t.platform.events.publishSync("other", {
      id: "e1",
      type: "order.created",
      source: "test",
      time: new Date().toISOString(),
      payload: null,
      headers: [],
    });
    assert.deepEqual(
      res.map((r) => r.function),
      ["theirs"],
    );
  });
});
