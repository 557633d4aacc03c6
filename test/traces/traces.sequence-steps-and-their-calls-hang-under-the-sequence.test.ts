import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

interface Node {
  id: string;
  function: string;
  trigger: string;
  status: string;
  parentSpanId?: string;
  spanId: string;
  children: Node[];
}

describe("GET …/traces/{id}: a sequence's steps, and what a step calls, hang under the sequence", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy(
      "one",
      `export default async (event, ctx) => (await ctx.invoke("helper", event.payload)) + 1`,
    );
    await t.deploy("helper", `export default async (event) => Number(event.payload ?? 0) * 10`);
    await t.deploy("two", `export default async (event) => event.payload + 2`);
    const res = await t.call("PUT", `/v1/accounts/${t.account}/functions/pipeline?deploy=true`, {
      sequence: ["one", "two"],
    });
    assert.ok(res.status === 200 || res.status === 201, res.text);
  });
  after(() => t.close());

  it("pipeline → one (→ helper), two, in the order they ran", async () => {
    const res = await t.invoke("pipeline", 3);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, 33);
    const id = res.headers.get("x-runlet-activation-id")!;
    const trace = await t.call("GET", `/v1/accounts/${t.account}/traces/${id}`);
    assert.equal(trace.status, 200, trace.text);
    assert.equal(trace.body.count, 4);
    const shape = (n: Node): unknown => ({ [n.function]: n.children.map(shape) });
    assert.deepEqual(trace.body.roots.map(shape), [{ pipeline: [{ one: [{ helper: [] }] }, { two: [] }] }]);
    const [pipeline] = trace.body.roots as Node[];
    for (const step of pipeline!.children) {
      assert.equal(step.trigger, "function");
      assert.equal(step.parentSpanId, pipeline!.spanId);
      assert.equal(step.status, "succeeded");
    }
  });
});
