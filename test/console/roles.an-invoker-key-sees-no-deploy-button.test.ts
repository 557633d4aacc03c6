import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("an invoker key can invoke a function and sees no editor, deploy, versions or account", async () => {
  const { page } = c;
  await c.t.deploy("echo", "export default async (event) => event.payload");
  const key = (await c.t.call("POST", "/v1/accounts/default/keys", { name: "app", role: "invoker" })).body
    .key;
  await c.signIn(key);
  await page.getByRole("heading", { name: "Invoke a function" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Account" }).count(), 0);
  await page.getByLabel("Function name").fill("echo");
  await page.getByRole("button", { name: "Open" }).click();

  await page.getByRole("heading", { name: "Test invoke" }).waitFor();
  await page.getByLabel("Payload (JSON)").fill('{"n": 7}');
  await page.getByRole("button", { name: "Invoke", exact: true }).click();
  const result = page.getByRole("region", { name: "Invocation result" });
  await result.getByText("succeeded (HTTP 200)").waitFor();
  assert.deepEqual(JSON.parse(await result.getByLabel("Result").innerText()), { n: 7 });

  assert.equal(await page.getByRole("button", { name: /deploy/i }).count(), 0);
  assert.equal(await page.getByRole("button", { name: /^Save/ }).count(), 0);
  assert.equal(await page.getByRole("textbox", { name: "Source code" }).count(), 0);
  assert.equal(await page.getByRole("heading", { name: "Versions" }).count(), 0);
  assert.deepEqual(c.pageErrors, []);
});

it("a developer key sees the account page without the admin-only parts", async () => {
  const { page } = c;
  const key = (await c.t.call("POST", "/v1/accounts/default/keys", { name: "dev", role: "developer" })).body
    .key;
  await page.getByRole("button", { name: "Sign out" }).click();
  await c.signIn(key);
  await page.getByRole("link", { name: "Account" }).click();
  await page.getByText("Only an admin key can set or delete secrets.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Set secret" }).count(), 0);
  assert.equal(await page.getByRole("region", { name: "API keys" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Save allowlist" }).count(), 0);
  // Budgets and forgotten functions are read, not set; fault profiles are a developer's to edit.
  await page.getByText("Only an admin key can set or delete the budget.").waitFor();
  await page.getByText("No budget for this account.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Set budget" }).count(), 0);
  await page.getByText("No function idle for 30 days.").waitFor();
  await page.getByText("Only an admin key can set the idle policy.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Set idle policy" }).count(), 0);
  await page.getByRole("button", { name: "Save fault profile" }).waitFor();
  assert.deepEqual(c.pageErrors, []);
});
