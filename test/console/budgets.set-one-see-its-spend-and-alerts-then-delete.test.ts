import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  // One cost unit per invocation, nothing for GB-seconds: the spend is the invocation count.
  c = await startConsole({
    platform: { config: { pricing: { perGbSecond: 0, perMillionInvocations: 1_000_000 } } },
  });
});
after(() => c.close());

it("an admin sets a budget of 1, sees this month's spend and the alerts it fired, then deletes it", async () => {
  const { page, t } = c;
  await t.deploy("spender", "export default async () => 1");
  assert.equal((await t.invoke("spender")).status, 200);

  await c.signIn();
  await page.getByRole("link", { name: "Account" }).click();
  const budget = page.getByRole("region", { name: "Budget" });
  await budget.getByText("No budget for this account.").waitFor();
  await budget.getByText("No budget alerts.").waitFor();

  // A bad amount gets the server's message, saying what to send.
  await budget.getByLabel("Budget amount").fill("-1");
  await budget.getByRole("button", { name: "Set budget" }).click();
  await budget
    .getByRole("alert")
    .getByText(/amount must be above 0/)
    .waitFor();

  await budget.getByLabel("Budget amount").fill("1");
  await budget.getByLabel("Thresholds (%)").fill("50, 100");
  await budget.getByRole("button", { name: "Set budget" }).click();
  const facts = budget.getByLabel("Account budget");
  await facts.getByText("1 (100%) — exceeded").waitFor();
  assert.match(await facts.innerText(), /50%, 100%/);
  assert.equal(await budget.getByRole("progressbar", { name: "Budget spent" }).getAttribute("value"), "100");

  // Both thresholds were crossed: one alert each, with what was spent, and no webhook to deliver to.
  await budget.getByRole("button", { name: "Refresh budget" }).click();
  const alerts = budget.getByRole("table", { name: "Budget alerts" });
  await alerts.getByRole("cell", { name: "50%", exact: true }).waitFor();
  await alerts.getByRole("cell", { name: "100%", exact: true }).waitFor();
  assert.equal(await alerts.getByRole("cell", { name: "1 of 1", exact: true }).count(), 2);
  assert.equal(await alerts.getByRole("cell", { name: "no webhook", exact: true }).count(), 2);
  const api = await t.call("GET", "/v1/accounts/default/budget");
  assert.equal(api.body.amount, 1);
  assert.deepEqual(api.body.thresholds, [50, 100]);

  page.once("dialog", (d) => void d.accept());
  await budget.getByRole("button", { name: "Delete budget" }).click();
  await budget.getByText("No budget for this account.").waitFor();
  assert.equal((await t.call("GET", "/v1/accounts/default/budget")).status, 404);
  assert.deepEqual(c.pageErrors, []);
});
