import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Activation } from "../../../src/model/activation.js";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount } from "./fixtures.js";

/** The link fields of an activation (other fields are the activations contract's business). */
const links = (a: Activation | undefined) =>
  a && { id: a.id, parentId: a.parentId, traceparent: a.traceparent, steps: a.steps };

/** parentId, traceparent and steps (migration 003): written by ctx.invoke children and sequences. */
export function activationLinksContract(store: () => Store): void {
  describe("activation links", () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const steps = [
      { function: "a", activationId: "act_0000000002", status: "succeeded" as const, durationMs: 1.5 },
      { function: "b", activationId: "act_0000000003", status: "function_error" as const, durationMs: 0.25 },
    ];

    it("reads back the parent, trace context and steps as written; an activation without them has none", async () => {
      const account = await freshAccount(store());
      const sequence = activation(account, 1, { function: "seq", steps, traceparent });
      const child = activation(account, 2, {
        function: "a",
        trigger: "function",
        parentId: sequence.id,
        traceparent,
      });
      const plain = activation(account, 4);
      await store().activations.insertMany([sequence, child, plain]);
      assert.deepEqual(links(await store().activations.get(account, sequence.id)), links(sequence));
      assert.deepEqual(links(await store().activations.get(account, child.id)), links(child));
      const readPlain = await store().activations.get(account, plain.id);
      assert.ok(readPlain);
      for (const key of ["parentId", "traceparent", "steps"]) assert.equal(key in readPlain, false, key);
      const listed = await store().activations.list({ account, limit: 10 });
      assert.deepEqual(listed.find((a) => a.id === child.id)?.parentId, sequence.id);
    });

    it("a later write of the same activation replaces its links", async () => {
      const account = await freshAccount(store());
      await store().activations.insertMany([activation(account, 1, { status: "queued", parentId: "act_x" })]);
      const final = activation(account, 1, { parentId: "act_x", steps: steps.slice(0, 1) });
      await store().activations.insertMany([final]);
      const read = await store().activations.get(account, final.id);
      assert.equal(read?.status, "succeeded");
      assert.deepEqual(links(read), links(final));
    });
  });
}
