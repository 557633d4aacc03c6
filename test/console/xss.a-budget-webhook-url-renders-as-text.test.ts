import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

const URL_WITH_HTML = `https://hooks.example.com/<img src=x onerror="window.__pwned='img'">`;

it("markup in a budget's webhook URL is shown as text on the account page, and does not run", async () => {
  const { page, t } = c;
  const set = await t.call("PUT", "/v1/accounts/default/budget", { amount: 1000, webhookUrl: URL_WITH_HTML });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.webhookUrl, URL_WITH_HTML);

  await c.signIn();
  await page.getByRole("link", { name: "Account" }).click();
  await page.getByLabel("Account budget").getByText(URL_WITH_HTML, { exact: true }).waitFor();
  assert.equal(await page.evaluate("window.__pwned"), undefined, "no tenant markup ran");
  assert.equal(await page.locator('img[src="x"]').count(), 0, "no tenant <img> in the page");
  assert.deepEqual(c.pageErrors, []);
});
