import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

interface Node {
  id: string;
  function: string;
  trigger: string;
  status: string;
  queuedMs: number;
  children: Node[];
}

describe("GET …/traces/{id}: a schedule firing is the root of the trace of what it calls", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy("report", `export default async () => "report"`);
    await t.deploy(
      "nightly",
      `export default async (event, ctx) => ctx.invoke("report", {}, { async: true })`,
      {
        schedules: [{ cron: "*/1 * * * * *" }],
      },
    );
    await t.platform.triggers.settled();
  });
  after(() => t.close());

  it("nightly (trigger schedule, queued) → report (queued by it)", async () => {
    let tree: Node[] = [];
    for (;;) {
      const fired = await t.call(
        "GET",
        `/v1/accounts/${t.account}/activations?function=nightly&status=succeeded`,
      );
      const first = fired.body.activations.at(-1);
      if (first) {
        tree = (await t.call("GET", `/v1/accounts/${t.account}/traces/${first.id}`)).body.roots;
        if (tree[0]?.children[0]?.status === "succeeded") break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // Stop firing before looking further: the rest of the test reads one firing's trace.
    await t.deploy("nightly", `export default async () => null`, { schedules: [] });
    assert.equal(tree.length, 1);
    const [nightly] = tree;
    assert.equal(nightly!.function, "nightly");
    assert.equal(nightly!.trigger, "schedule");
    assert.ok(nightly!.queuedMs >= 0);
    assert.deepEqual(
      nightly!.children.map((c) => [c.function, c.trigger, c.children.length]),
      [["report", "function", 0]],
    );
  });
});
