import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

const SOURCE = `export default async function handler(event) {
  console.log("greeting", event.payload.name);
  return { hello: event.payload.name };
}
`;

it("edit, save and deploy in the editor, then test-invoke: status, result, logs, duration, activation id", async () => {
  const { page } = c;
  await c.t.call("PUT", "/v1/accounts/default/functions/greeter", { source: "export default async () => 1" });
  await c.signIn();
  await page.getByRole("link", { name: "greeter" }).click();
  await page.getByRole("heading", { name: "greeter" }).waitFor();
  assert.ok(await page.getByText("draft", { exact: true }).first().isVisible());

  const editor = page.getByRole("textbox", { name: "Source code" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(SOURCE);
  await page.getByRole("button", { name: "Save and deploy" }).click();
  await page.getByRole("status").filter({ hasText: "Saved and deployed v2" }).waitFor();
  await page.getByText("deployed", { exact: true }).first().waitFor();

  await page.getByLabel("Payload (JSON)").fill('{"name": "Ada"}');
  await page.getByRole("button", { name: "Invoke", exact: true }).click();
  const result = page.getByRole("region", { name: "Invocation result" });
  await result.getByText("succeeded (HTTP 200)").waitFor();
  assert.deepEqual(JSON.parse(await result.getByLabel("Result").innerText()), { hello: "Ada" });
  await result.getByLabel("Logs").getByText("greeting Ada").waitFor();
  assert.match(await result.innerText(), /Activation\s+act_/);
  assert.match(await result.innerText(), /Billed\s+[\d.]+ ms/);

  // The payload is kept per function: a reload brings it back.
  await page.reload();
  await page.getByLabel("Payload (JSON)").waitFor();
  assert.equal(await page.getByLabel("Payload (JSON)").inputValue(), '{"name": "Ada"}');

  // The server agrees: v2 is deployed and answers.
  assert.deepEqual((await c.t.invoke("greeter", { name: "Bo" })).body, { hello: "Bo" });

  // The README's screenshot (docs/console.png): refreshed when missing or with UPDATE_SCREENSHOT=1.
  await page.getByRole("button", { name: "Invoke", exact: true }).click();
  await result.getByText("succeeded (HTTP 200)").waitFor();
  await page.getByRole("heading", { name: "Invocations by outcome" }).waitFor();
  const png = await page.screenshot({ fullPage: false });
  assert.equal(png.subarray(1, 4).toString(), "PNG");
  const file = path.resolve(import.meta.dirname, "../../docs/console.png");
  if (process.env.UPDATE_SCREENSHOT === "1" || !existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
  }
  assert.deepEqual(c.pageErrors, []);
});
