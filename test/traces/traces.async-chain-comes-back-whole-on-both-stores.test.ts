import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { freshSchema } from "../helpers/postgres.js";

// a ctx.invoke-s b asynchronously, b does the same to c: three activations, two of them queued.
const A = `export default async (event, ctx) => ({ queued: (await ctx.invoke("b", { n: 1 }, { async: true })).activationId })`;
const B = `export default async (event, ctx) => { await ctx.invoke("c", { n: event.payload.n + 1 }, { async: true }); return "b"; }`;
const C = `export default async (event) => ({ c: event.payload.n })`;

const DIALECTS: [string, () => Promise<{ url?: string; drop(): Promise<void> }>][] = [
  ["sqlite", async () => ({ drop: async () => {} })],
  [
    "postgres",
    async () => {
      const pg = await freshSchema("runlet_traces");
      return { url: pg.url, drop: () => pg.drop() };
    },
  ],
];

interface Node {
  id: string;
  function: string;
  trigger: string;
  status: string;
  spanId: string;
  parentSpanId?: string;
  parentId?: string;
  queuedMs: number;
  offsetMs: number;
  durationMs: number;
  children: Node[];
}

for (const [dialect, open] of DIALECTS) {
  describe(`GET …/traces/{id}: a 3-level async chain comes back as one tree (${dialect})`, () => {
    let t: TestPlatform;
    let drop: () => Promise<void>;
    before(async () => {
      const db = await open();
      drop = db.drop;
      t = await startPlatform(db.url ? { databaseUrl: db.url } : {});
      await t.deploy("a", A);
      await t.deploy("b", B);
      await t.deploy("c", C);
    });
    after(async () => {
      await t.close();
      await drop();
    });

    /** The trace once its 3 activations have ended (the queued ones run on the platform's worker). */
    const settled = async (id: string) => {
      for (;;) {
        const res = await t.call("GET", `/v1/accounts/${t.account}/traces/${id}`);
        assert.equal(res.status, 200, res.text);
        const all: Node[] = [];
        const walk = (n: Node) => (all.push(n), n.children.forEach(walk));
        res.body.roots.forEach(walk);
        if (all.length === 3 && all.every((n) => n.status === "succeeded")) return res.body;
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    it("by the root's activation id and by the trace id: a → b → c, with queue time and timings", async () => {
      const res = await t.call("POST", `/v1/accounts/${t.account}/functions/a/invoke`, {});
      assert.equal(res.status, 200, res.text);
      const rootId = res.headers.get("x-runlet-activation-id")!;
      assert.ok(rootId, "the invoke answers with its activation id");

      const trace = await settled(rootId);
      assert.match(trace.traceId, /^[0-9a-f]{32}$/);
      assert.equal(trace.count, 3);
      assert.equal(trace.truncated, false);
      assert.equal(trace.roots.length, 1);
      const [a] = trace.roots as Node[];
      assert.equal(a!.id, rootId);
      assert.equal(a!.function, "a");
      assert.equal(a!.trigger, "http");
      assert.equal(a!.parentSpanId, undefined);
      const [b] = a!.children;
      assert.equal(b!.function, "b");
      assert.equal(b!.id, res.body.queued);
      assert.equal(b!.trigger, "function");
      assert.equal(b!.parentId, a!.id);
      assert.equal(b!.parentSpanId, a!.spanId);
      const [c] = b!.children;
      assert.equal(c!.function, "c");
      assert.equal(c!.parentId, b!.id);
      assert.equal(c!.parentSpanId, b!.spanId);
      assert.deepEqual(c!.children, []);
      for (const n of [a!, b!, c!]) {
        assert.ok(n.queuedMs >= 0 && n.offsetMs >= 0 && n.durationMs >= 0, JSON.stringify(n));
      }
      // The queued ones started after their callers had queued them.
      assert.ok(b!.offsetMs >= a!.offsetMs && c!.offsetMs >= b!.offsetMs);
      assert.equal(new Set([a!.spanId, b!.spanId, c!.spanId]).size, 3);

      // The same tree by trace id, and by the id of the activation at the bottom.
      const byTrace = await t.call("GET", `/v1/accounts/${t.account}/traces/${trace.traceId}`);
      assert.deepEqual(byTrace.body, trace);
      const byLeaf = await t.call("GET", `/v1/accounts/${t.account}/traces/${c!.id}`);
      assert.deepEqual(byLeaf.body, trace);
    });

    it("an unknown trace id or activation id: 404 RUNLET_ERR_TRACE_NOT_FOUND saying what to send", async () => {
      for (const id of ["0123456789abcdef0123456789abcdef", "act_nothing_here"]) {
        const res = await t.call("GET", `/v1/accounts/${t.account}/traces/${id}`);
        assert.equal(res.status, 404, res.text);
        assert.equal(res.body.error.code, "RUNLET_ERR_TRACE_NOT_FOUND");
        assert.match(res.body.error.message, /trace id/);
      }
    });
  });
}
