import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rootTraceId } from "../../../src/model/span-ids.js";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount } from "./fixtures.js";

/** trace() (migration 016): one trace's records by trace id, with their parent span and queue time. */
export function activationTracesContract(store: () => Store): void {
  describe("activation traces", () => {
    it("finds a trace's records (the root by the id its calls derive), oldest first, in its account only", async () => {
      const account = await freshAccount(store());
      const other = await freshAccount(store());
      const root = activation(account, 1, { function: "a" });
      const traceId = rootTraceId(root.id);
      const child = activation(account, 2, {
        function: "b",
        trigger: "function",
        parentId: root.id,
        traceparent: `00-${traceId}-1111111111111111-01`,
        parentSpanId: "2222222222222222",
        queuedMs: 42,
      });
      const unrelated = activation(account, 3, { traceparent: `00-${"ab".repeat(16)}-3333333333333333-01` });
      const elsewhere = activation(other, 4, { traceparent: `00-${traceId}-4444444444444444-01` });
      await store().activations.insertMany([root, child, unrelated, elsewhere]);
      const found = await store().activations.trace(account, traceId, 10);
      assert.deepEqual(
        found.map((a) => a.id),
        [root.id, child.id],
      );
      assert.equal(found[1]?.parentSpanId, "2222222222222222");
      assert.equal(found[1]?.queuedMs, 42);
      assert.equal("queuedMs" in found[0]!, false);
      assert.deepEqual(
        (await store().activations.trace(account, traceId, 1)).map((a) => a.id),
        [root.id],
        "at most limit",
      );
      assert.deepEqual(await store().activations.trace(account, "cd".repeat(16), 10), []);
    });
  });
}
