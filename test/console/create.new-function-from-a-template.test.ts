import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("New function makes a draft from the chosen template and opens it in the editor", async () => {
  const { page } = c;
  await c.signIn();
  await page.getByText("No functions yet.").waitFor();
  await page.getByRole("link", { name: "New function" }).click();
  await page.getByLabel("Name").fill("orders");
  await page.getByLabel("Style").selectOption("http");
  await page.getByLabel("Language").selectOption("ts");
  await page.getByRole("button", { name: "Create function" }).click();

  await page.getByRole("heading", { name: "orders" }).waitFor();
  await page.getByText("draft", { exact: true }).first().waitFor();
  const editor = page.getByRole("textbox", { name: "Source code" });
  await editor.getByText("import type").first().waitFor();
  assert.match(await editor.innerText(), /Request/, "the http template's source is in the editor");

  const fn = await c.t.call("GET", "/v1/accounts/default/functions/orders");
  assert.equal(fn.body.style, "http");
  assert.equal(fn.body.state, "draft");

  // Back on the list, the new function is there with its state and style, and the filter finds it.
  await page.getByRole("link", { name: "Functions" }).click();
  const table = page.getByRole("table", { name: "Functions" });
  const row = table.getByRole("row", { name: /orders/ });
  await row.waitFor();
  assert.match(await row.innerText(), /draft\s+http/);
  await page.getByLabel("Filter by name").fill("nomatch");
  await table.waitFor({ state: "detached" });
  await page.getByLabel("Filter by name").fill("ord");
  await row.waitFor();
  assert.deepEqual(c.pageErrors, []);
});
