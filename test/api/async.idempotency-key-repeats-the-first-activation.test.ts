import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, invokeAsync, settled } from "../queue/helpers.js";

describe("async invoke with Idempotency-Key", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform({ config: { queue: fastQueue() } });
    await t.deploy("once", "export default async (e) => e.payload");
  });
  after(() => t.close());

  it("returns the first activation for a repeat, and runs it once", async () => {
    const headers = { "idempotency-key": "order-42" };
    const first = await invokeAsync(t, "once", { order: 42 }, headers);
    assert.equal(first.status, 202);
    const id = first.body.activationId as string;
    await settled(t, id);
    const repeats = await Promise.all([1, 2, 3].map(() => invokeAsync(t, "once", { order: 42 }, headers)));
    for (const r of repeats) {
      assert.equal(r.status, 202);
      assert.equal(r.body.activationId, id);
      assert.equal(r.headers.get("x-runlet-activation-id"), id);
    }
    const list = await t.call("GET", "/v1/accounts/default/activations?function=once");
    assert.deepEqual(
      list.body.activations.map((a: { id: string }) => a.id),
      [id],
      "one activation only",
    );
  });

  it("collapses concurrent first requests with the same key into one activation", async () => {
    const headers = { "idempotency-key": "burst-1" };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => invokeAsync(t, "once", { burst: 1 }, headers)),
    );
    const ids = new Set(answers.map((a) => a.body.activationId as string));
    assert.equal(ids.size, 1, "every request got the same id");
    assert.equal((await settled(t, [...ids][0]!)).status, "succeeded");
  });

  it("answers 409 when the key comes back with a different body", async () => {
    const headers = { "idempotency-key": "order-43" };
    const first = await invokeAsync(t, "once", { order: 43 }, headers);
    assert.equal(first.status, 202);
    const other = await invokeAsync(t, "once", { order: 44 }, headers);
    assert.equal(other.status, 409, other.text);
    assert.equal(other.body.error.code, "RUNLET_ERR_IDEMPOTENCY_CONFLICT");
    assert.equal(other.body.error.activationId, first.body.activationId);
    assert.match(other.body.error.message, /different body/);
  });

  it("refuses a key that is not visible ASCII", async () => {
    const res = await invokeAsync(t, "once", {}, { "idempotency-key": "x".repeat(300) });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "RUNLET_ERR_BAD_REQUEST");
    assert.match(res.body.error.message, /Idempotency-Key/);
  });
});
