import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("a save that does not compile shows the server's error at its line and column; the typed text is kept", async () => {
  const { page } = c;
  await c.t.deploy("calc", "export default async () => 1");
  await c.signIn();
  await page.getByRole("link", { name: "calc" }).click();
  const editor = page.getByRole("textbox", { name: "Source code" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  const broken = "export default async () => {\n  return 1 +;\n}\n";
  await page.keyboard.insertText(broken);
  await page.getByRole("button", { name: "Save", exact: true }).click();

  await page.getByRole("alert").filter({ hasText: "RUNLET_ERR_COMPILE" }).waitFor();
  const errors = page.getByRole("list", { name: "Compile errors" });
  await errors.getByText(/^Line 2, column 13: /).waitFor();
  // The last deployed version still serves.
  assert.equal((await c.t.invoke("calc")).body, 1);
  assert.equal((await c.t.call("GET", "/v1/accounts/default/functions/calc")).body.latestVersion, 1);

  // Nothing typed is lost: a reload brings the unsaved text back.
  await page.reload();
  await page.getByText("Unsaved changes").waitFor();
  assert.match(await editor.innerText(), /return 1 \+;/);
  assert.deepEqual(c.pageErrors, []);
});
