import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestPlatform } from "../helpers/platform.js";
import { fastQueue } from "../queue/helpers.js";
import { STORES, eventually } from "../rollouts/helpers.js";

interface Node {
  activationId: string;
  function: string;
  trigger: string;
  status: string;
  queuedMs: number;
  durationMs: number;
  startedAt: string;
  queuedAt: string;
  children: Node[];
}

for (const [store, start] of STORES) {
  describe(`a trace of a 3-level async chain (${store})`, () => {
    let t: TestPlatform;
    before(async () => {
      t = await start({ config: { queue: fastQueue() } });
      await t.deploy("leaf", "export default async () => 'leaf'");
      await t.deploy("mid", "export default async (e, ctx) => ctx.invoke('leaf', {}, { async: true })");
      await t.deploy(
        "top",
        `export default async (e, ctx) => {
           const a = await ctx.invoke("mid", {}, { async: true });
           const b = await ctx.invoke("leaf", {});
           return { a, b };
         }`,
      );
    });
    after(() => t.close());

    it("comes back whole, from its trace id or any of its activations, with queued time, start, duration and status", async () => {
      const res = await t.invoke("top");
      assert.equal(res.status, 200, res.text);
      const root = res.headers.get("x-runlet-activation-id")!;
      // The async grandchild ends a moment later: wait for the whole chain to have ended.
      const trace = await eventually(async () => {
        const got = await t.call("GET", `/v1/accounts/default/traces/${root}`);
        const all = (n: Node): Node[] => [n, ...n.children.flatMap(all)];
        const nodes = got.status === 200 ? (got.body.roots as Node[]).flatMap(all) : [];
        return nodes.length === 4 && nodes.every((n) => n.status === "succeeded") && got;
      });
      assert.match(trace.body.traceId, /^[0-9a-f]{32}$/);
      assert.equal(trace.body.activations, 4);
      const [top] = trace.body.roots as Node[];
      assert.equal(trace.body.roots.length, 1);
      assert.equal(top!.activationId, root);
      assert.equal(top!.function, "top");
      const shape = (n: Node): unknown => [n.function, n.trigger, n.children.map(shape)];
      assert.deepEqual(shape(top!), [
        "top",
        "http",
        [
          ["mid", "function", [["leaf", "function", []]]],
          ["leaf", "function", []],
        ],
      ]);
      for (const n of [top!, ...top!.children]) {
        assert.ok(n.queuedMs >= 0 && n.durationMs >= 0);
        assert.ok(Date.parse(n.startedAt) >= Date.parse(n.queuedAt));
      }
      // The same tree from the trace id, and from the deepest activation.
      const byId = await t.call("GET", `/v1/accounts/default/traces/${trace.body.traceId}`);
      assert.deepEqual(byId.body, trace.body);
      const deepest = top!.children.find((c) => c.function === "mid")!.children[0]!.activationId;
      assert.deepEqual((await t.call("GET", `/v1/accounts/default/traces/${deepest}`)).body, trace.body);
    });

    it("an unknown trace is a 404, a malformed id a 400", async () => {
      const unknown = await t.call("GET", `/v1/accounts/default/traces/${"ab".repeat(16)}`);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, "RUNLET_ERR_TRACE_NOT_FOUND");
      const bad = await t.call("GET", "/v1/accounts/default/traces/nonsense");
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, "RUNLET_ERR_BAD_REQUEST");
    });
  });
}
