import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("after a breaking deploy, the failed invocation is in the activations with its error, and in the chart totals", async () => {
  const { page } = c;
  await c.t.deploy("pay", "export default async () => ({ ok: true })");
  await c.t.invoke("pay");
  await c.signIn();
  await page.getByRole("link", { name: "pay" }).click();
  const editor = page.getByRole("textbox", { name: "Source code" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText('export default async () => {\n  throw new Error("card declined");\n};\n');
  await page.getByRole("button", { name: "Save and deploy" }).click();
  await page.getByRole("status").filter({ hasText: "Saved and deployed v2" }).waitFor();

  await page.getByRole("button", { name: "Invoke", exact: true }).click();
  const result = page.getByRole("region", { name: "Invocation result" });
  await result.getByText("function_error (HTTP 502)").waitFor();
  await result.getByText("Error: card declined").waitFor();

  const activations = page.getByRole("table", { name: "Activations" });
  const failed = activations.getByRole("row", { name: /function_error/ });
  await failed.waitFor();
  assert.match(await failed.innerText(), /v2/);
  assert.equal(await activations.getByRole("row", { name: /succeeded/ }).count(), 1);
  await failed.getByRole("button").click();
  const detail = page.getByRole("region", { name: /^Activation act_/ });
  await detail.getByText("RUNLET_ERR_FUNCTION_ERROR").waitFor();
  await detail.getByText("Error: card declined").waitFor();

  await page
    .getByLabel("Totals")
    .getByText(/1 succeeded, 1 code failure/)
    .waitFor();
  assert.deepEqual(c.pageErrors, []);
});
