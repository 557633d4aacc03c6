import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";
import { activation } from "../store/contract/fixtures.js";

const DAY = 86_400_000;
let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("the account's usage table shows each function's cost per UTC day, as the usage API prices it", async () => {
  const { page, t } = c;
  await t.deploy("pay", `export default async () => 1`);
  await t.deploy("ship", `export default async () => 2`);
  for (let i = 0; i < 3; i++) assert.equal((await t.invoke("pay")).status, 200);
  assert.equal((await t.invoke("ship")).status, 200);
  // Two days ago, pay ran for 10 minutes at 1 GiB (as that day's record holds it): 600 GB-s.
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const earlier = today - 2 * DAY + 12 * 3_600_000;
  await t.platform.store.activations.insertMany([
    activation("default", 1, { function: "pay", startedAt: earlier, billedMs: 600_000, memoryMb: 1024 }),
  ]);
  const usage = await t.call("GET", "/v1/accounts/default/usage?groupBy=day,function");
  assert.equal(usage.status, 200, usage.text);
  const { perGbSecond, perMillionInvocations } = usage.body.pricing;

  await c.signIn();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  const region = page.getByRole("region", { name: "Usage (last 30 days)" });
  const table = region.getByRole("table", { name: "Usage" });
  const cost = async (day: number, fn: string) => {
    const date = new Date(day).toISOString().slice(0, 10);
    const row = table.getByRole("row", { name: new RegExp(`^${date} ${fn} `) });
    await row.waitFor();
    return row.getByRole("cell").last().innerText();
  };
  const priced = (gbSeconds: number, invocations: number) =>
    `$${(Math.round((gbSeconds * perGbSecond + (invocations / 1e6) * perMillionInvocations) * 1e6) / 1e6).toFixed(6)}`;
  assert.equal(await cost(earlier, "pay"), priced(600, 1));
  for (const group of usage.body.groups as { day: string; function: string; cost: number }[]) {
    assert.equal(await cost(Date.parse(group.day), group.function), `$${group.cost.toFixed(6)}`);
  }
  assert.equal(usage.body.groups.length, 3, "two days of pay, one of ship");
  await region.getByRole("heading", { name: "Cost per day by function" }).waitFor();

  // Grouped by function, pay's row sums both its days.
  await region.getByLabel("Group by").selectOption("function");
  const payRow = table.getByRole("row", { name: /^pay / });
  await payRow.waitFor();
  const byFunction = (await t.call("GET", "/v1/accounts/default/usage?groupBy=function")).body.groups as {
    key: string;
    cost: number;
  }[];
  assert.equal(
    await payRow.getByRole("cell").last().innerText(),
    `$${byFunction.find((g) => g.key === "pay")!.cost.toFixed(6)}`,
  );
  assert.deepEqual(c.pageErrors, []);
});
