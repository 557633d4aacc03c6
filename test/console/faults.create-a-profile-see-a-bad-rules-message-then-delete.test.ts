import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("creates a fault profile from rules JSON, shows the server's message for a bad rule, then deletes it", async () => {
  const { page, t } = c;
  await c.signIn();
  await page.getByRole("link", { name: "Account" }).click();
  const faults = page.getByRole("region", { name: "Fault profiles" });
  await faults.getByText("No fault profiles.").waitFor();

  await faults.getByLabel("Profile name").fill("flaky");
  await faults
    .getByLabel(/^Rules/)
    .fill('[{"target": "fetch:api.example.com", "kind": "status", "status": 503, "rate": 0.5}]');
  await faults.getByRole("button", { name: "Save fault profile" }).click();
  const row = faults
    .getByRole("table", { name: "Fault profiles" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: "flaky", exact: true }) });
  await row.getByText(/fetch:api\.example\.com/).waitFor();
  assert.deepEqual((await t.call("GET", "/v1/accounts/default/faults/flaky")).body.rules, [
    { target: "fetch:api.example.com", kind: "status", status: 503, rate: 0.5 },
  ]);

  // A status rule without its status: the server says what the rule needs, and nothing changes.
  await faults.getByLabel(/^Rules/).fill('[{"target": "fetch:api.example.com", "kind": "status"}]');
  await faults.getByRole("button", { name: "Save fault profile" }).click();
  await faults
    .getByRole("alert")
    .getByText(/rules\[0\]: kind "status" needs status/)
    .waitFor();
  assert.match(await faults.getByRole("alert").innerText(), /RUNLET_ERR_INVALID_FAULT_RULE/);
  assert.equal((await t.call("GET", "/v1/accounts/default/faults/flaky")).body.rules[0].status, 503);

  page.once("dialog", (d) => void d.accept());
  await faults.getByRole("button", { name: "Delete fault profile flaky" }).click();
  await faults.getByText("No fault profiles.").waitFor();
  assert.deepEqual((await t.call("GET", "/v1/accounts/default/faults")).body.profiles, []);
  assert.deepEqual(c.pageErrors, []);
});
