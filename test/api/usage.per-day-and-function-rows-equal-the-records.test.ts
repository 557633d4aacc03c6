import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;
before(async () => {
  t = await startPlatform();
  await t.deploy("small", `export default async () => 1`, { memoryMb: 128 });
  await t.deploy("big", `export default async () => 2`, { memoryMb: 512 });
  for (let i = 0; i < 3; i++) await t.invoke("small");
  for (let i = 0; i < 2; i++) await t.invoke("big");
});
after(() => t.close());

it("groupBy=day,function gives a row per UTC day and function, priced from its records", async () => {
  const res = await t.call("GET", "/v1/accounts/default/usage?groupBy=day,function");
  assert.equal(res.status, 200, res.text);
  const today = new Date().toISOString().slice(0, 10);
  const records = (await t.call("GET", "/v1/accounts/default/activations?limit=1000")).body.activations as {
    function: string;
    billedMs: number;
    memoryMb: number;
  }[];
  const { perGbSecond, perMillionInvocations } = res.body.pricing;
  assert.deepEqual(
    res.body.groups.map((g: { key: string; day: string; function: string }) => [g.key, g.day, g.function]),
    [
      [`${today}/big`, today, "big"],
      [`${today}/small`, today, "small"],
    ],
  );
  for (const row of res.body.groups) {
    const mine = records.filter((r) => r.function === row.function);
    const gbSeconds = mine.reduce((n, r) => n + (r.billedMs / 1000) * (r.memoryMb / 1024), 0);
    assert.equal(row.invocations, mine.length);
    assert.equal(
      row.billedMs,
      mine.reduce((n, r) => n + r.billedMs, 0),
    );
    assert.ok(
      Math.abs(row.cost - (gbSeconds * perGbSecond + (mine.length / 1e6) * perMillionInvocations)) < 1e-6,
    );
  }
  assert.equal(res.body.groupBy, "day,function");
});
