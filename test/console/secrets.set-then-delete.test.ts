import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("an admin sets a secret (its name is listed, never its value) and deletes it", async () => {
  const { page } = c;
  await c.signIn();
  await page.getByRole("link", { name: "Account" }).click();
  const secrets = page.getByRole("region", { name: "Secrets" });
  await secrets.getByText("No secrets.").waitFor();
  await secrets.getByLabel("Secret name").fill("STRIPE_KEY");
  await secrets.getByLabel("Secret value").fill("sk_live_hush");
  await secrets.getByRole("button", { name: "Set secret" }).click();
  await secrets
    .getByRole("table", { name: "Secrets" })
    .getByRole("cell", { name: "STRIPE_KEY", exact: true })
    .waitFor();
  assert.ok(!(await page.content()).includes("sk_live_hush"), "the value is not shown");
  assert.deepEqual(
    (await c.t.call("GET", "/v1/accounts/default/secrets")).body.secrets.map((s: { name: string }) => s.name),
    ["STRIPE_KEY"],
  );

  page.once("dialog", (d) => void d.accept());
  await secrets.getByRole("button", { name: "Delete secret STRIPE_KEY" }).click();
  await secrets.getByText("No secrets.").waitFor();
  assert.deepEqual((await c.t.call("GET", "/v1/accounts/default/secrets")).body.secrets, []);

  // Both changes are in the audit log, with the key that made them.
  const audit = page.getByRole("table", { name: "Audit log" });
  await page.getByRole("button", { name: "Refresh audit log" }).click();
  await audit
    .getByRole("row", { name: /secret.*STRIPE_KEY/ })
    .nth(1)
    .waitFor();
  assert.match(await audit.innerText(), /key:key_/);
  assert.deepEqual(c.pageErrors, []);
});
