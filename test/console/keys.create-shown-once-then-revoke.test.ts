import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("a new key is shown once and works; revoked, it stops working", async () => {
  const { page } = c;
  await c.signIn();
  await page.getByRole("link", { name: "Account" }).click();
  const keys = page.getByRole("region", { name: "API keys" });
  await keys.getByLabel("Key name").fill("ci-deployer");
  await keys.getByLabel("Role").selectOption("developer");
  await keys.getByRole("button", { name: "Create key" }).click();
  const shown = keys.getByLabel("New API key");
  await shown.waitFor();
  const key = (await shown.innerText()).trim();
  assert.match(key, /^rlk_/);
  assert.equal((await c.t.call("GET", "/v1/accounts/default/functions", undefined, { key })).status, 200);
  await keys.getByRole("button", { name: "Done" }).click();
  await shown.waitFor({ state: "detached" });
  assert.ok(!(await page.content()).includes(key), "the key is gone from the page");

  page.once("dialog", (d) => void d.accept());
  await keys.getByRole("button", { name: "Revoke key ci-deployer" }).click();
  await keys.getByRole("row", { name: /ci-deployer.*revoked/ }).waitFor();
  const after = await c.t.call("GET", "/v1/accounts/default/functions", undefined, { key });
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, "RUNLET_ERR_UNAUTHENTICATED");
  assert.deepEqual(c.pageErrors, []);
});
