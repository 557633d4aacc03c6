import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// Each hostile or broken function ends in its DESIGN §5 status with the right HTTP status, the record is
// written, and a neighbour function keeps answering while it misbehaves.
const CASES: {
  name: string;
  source: string;
  config?: Record<string, unknown>;
  http: number;
  status: string;
  code: string;
}[] = [
  {
    name: "never-calls-back",
    source: `function lambda(input, callback) { /* forgets to call back */ }`,
    config: { timeoutMs: 300 },
    http: 504,
    status: "timeout",
    code: "RUNLET_ERR_TIMEOUT",
  },
  {
    name: "throws-non-error",
    source: `export default async () => { throw { reason: "not an Error" }; }`,
    http: 502,
    status: "function_error",
    code: "RUNLET_ERR_FUNCTION_ERROR",
  },
  {
    name: "returns-bigint",
    source: `export default async () => ({ n: 10n })`,
    http: 502,
    status: "function_error",
    code: "RUNLET_ERR_INVALID_RESULT",
  },
  {
    name: "returns-cycle",
    source: `export default async () => { const a = {}; a.self = a; return a; }`,
    http: 502,
    status: "function_error",
    code: "RUNLET_ERR_INVALID_RESULT",
  },
  {
    name: "loops-forever",
    source: `export default async () => { for (;;) {} }`,
    config: { timeoutMs: 300 },
    http: 504,
    status: "timeout",
    code: "RUNLET_ERR_TIMEOUT",
  },
  {
    name: "loops-in-promises",
    source: `export default async () => { const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {}); }`,
    config: { timeoutMs: 300 },
    http: 504,
    status: "timeout",
    code: "RUNLET_ERR_TIMEOUT",
  },
  {
    name: "allocates-without-bound",
    source: `export default async () => { const keep = []; for (;;) keep.push(new Array(1e5).fill("x" + keep.length)); }`,
    config: { memoryMb: 32, timeoutMs: 10000 },
    http: 502,
    status: "resource_exceeded",
    code: "RUNLET_ERR_MEMORY_LIMIT",
  },
  {
    name: "allocates-after-a-timer",
    source: `export default async () => { await new Promise((r) => setTimeout(r, 5)); const keep = []; for (;;) keep.push(new Array(1e5).fill("y" + keep.length)); }`,
    config: { memoryMb: 32, timeoutMs: 10000 },
    http: 502,
    status: "resource_exceeded",
    code: "RUNLET_ERR_MEMORY_LIMIT",
  },
];

describe("every failure ends in its status and the platform keeps serving", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy("neighbour", `export default async (e) => ({ ok: e.payload.n })`);
  });
  after(() => t.close());

  for (const c of CASES) {
    it(`${c.name} → ${c.http} ${c.status}`, async () => {
      await t.deploy(c.name, c.source, c.config);
      const [bad, ...neighbours] = await Promise.all([
        t.invoke(c.name),
        ...Array.from({ length: 5 }, (_, n) => t.invoke("neighbour", { n })),
      ]);
      assert.equal(bad.status, c.http, bad.text);
      assert.equal(bad.body.error.code, c.code);
      const id = bad.body.error.activationId;
      assert.match(id, /^act_/);
      neighbours.forEach((res, n) => assert.deepEqual(res.body, { ok: n }));
      const rec = await t.call("GET", `/v1/accounts/default/activations/${id}`);
      assert.equal(rec.body.status, c.status);
      assert.equal(rec.body.error.code, c.code);
      // The same function answers again afterwards (a dead instance is replaced).
      const again = await t.invoke(c.name);
      assert.equal(again.status, c.http);
    });
  }

  it("logging megabytes is truncated and flagged, and the invocation succeeds", async () => {
    await t.deploy(
      "chatty",
      `export default async () => { for (let i = 0; i < 20000; i++) console.log("x".repeat(200)); return "done"; }`,
    );
    const res = await t.invoke("chatty");
    assert.equal(res.status, 200);
    assert.equal(res.body, "done");
    const rec = await t.call(
      "GET",
      `/v1/accounts/default/activations/${res.headers.get("x-runlet-activation-id")}`,
    );
    assert.equal(rec.body.logsTruncated, true);
    assert.ok(rec.body.logs.length <= 256);
    const bytes = rec.body.logs.reduce((n: number, l: { msg: string }) => n + l.msg.length, 0);
    assert.ok(bytes <= 64 * 1024, `kept ${bytes} bytes of logs`);
  });

  it("a result over the response limit is refused as function_error", async () => {
    await t.deploy("huge-result", `export default async () => "x".repeat(7 * 1024 * 1024)`);
    const res = await t.invoke("huge-result");
    assert.equal(res.status, 502);
    assert.equal(res.body.error.code, "RUNLET_ERR_RESULT_TOO_LARGE");
  });
});
