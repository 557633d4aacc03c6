import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("GET …/usage meters what the activations used", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy("small", `export default async () => 1`, { memoryMb: 128 });
    await t.deploy(
      "big",
      `export default async (e) => { if (e.payload.fail) throw new Error("x"); return 2; }`,
      { memoryMb: 512 },
    );
    await Promise.all([
      ...Array.from({ length: 5 }, () => t.invoke("small")),
      ...Array.from({ length: 3 }, () => t.invoke("big", {})),
      t.invoke("big", { fail: true }),
    ]);
  });
  after(() => t.close());

  it("totals and per-function groups equal the sums over the activation records, priced", async () => {
    const usage = await t.call("GET", "/v1/accounts/default/usage?groupBy=function");
    assert.equal(usage.status, 200, usage.text);
    const records = (await t.call("GET", "/v1/accounts/default/activations?limit=1000")).body.activations as {
      function: string;
      status: string;
      billedMs: number;
      memoryMb: number;
    }[];
    const sums = (fn?: string) => {
      const subset = records.filter((a) => fn === undefined || a.function === fn);
      return {
        invocations: subset.length,
        errors: subset.filter((a) => a.status !== "succeeded").length,
        billedMs: subset.reduce((n, a) => n + a.billedMs, 0),
        gbSeconds: subset.reduce((n, a) => n + (a.billedMs / 1000) * (a.memoryMb / 1024), 0),
      };
    };
    const check = (
      row: { invocations: number; errors: number; billedMs: number; gbSeconds: number; cost: number },
      fn?: string,
    ) => {
      const want = sums(fn);
      assert.equal(row.invocations, want.invocations);
      assert.equal(row.errors, want.errors);
      assert.equal(row.billedMs, want.billedMs);
      assert.ok(Math.abs(row.gbSeconds - want.gbSeconds) < 1e-6);
      const cost =
        want.gbSeconds * usage.body.pricing.perGbSecond +
        (want.invocations / 1e6) * usage.body.pricing.perMillionInvocations;
      assert.ok(Math.abs(row.cost - cost) < 1e-6);
    };
    check(usage.body.total);
    assert.equal(usage.body.total.invocations, 9);
    assert.equal(usage.body.total.errors, 1);
    const byName = Object.fromEntries(usage.body.groups.map((g: { key: string }) => [g.key, g]));
    check(byName.small, "small");
    check(byName.big, "big");
  });

  it("groups by UTC day and rejects bad ranges", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await t.call("GET", "/v1/accounts/default/usage?groupBy=day");
    assert.deepEqual(
      byDay.body.groups.map((g: { key: string }) => g.key),
      [today],
    );
    assert.equal((await t.call("GET", "/v1/accounts/default/usage?from=yesterday")).status, 400);
    assert.equal(
      (await t.call("GET", "/v1/accounts/default/usage?from=2026-02-01&to=2026-01-01")).status,
      400,
    );
    assert.equal((await t.call("GET", "/v1/accounts/default/usage?groupBy=hour")).status, 400);
  });
});
