import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

/** Presses Tab until `target` has the focus, as a keyboard user would; fails if it is never reached. */
async function tabTo(page: Page, target: Locator, max = 120) {
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

it("sign in, open a function, test-invoke it, read its activation and roll it back with Tab and Enter alone", async () => {
  const { page } = c;
  await c.t.deploy("counter", "export default async (e) => ({ v: 1, got: e.payload })");
  await c.t.deploy("counter", "export default async (e) => ({ v: 2, got: e.payload })");
  await page.goto(`${c.t.url}/console/`);

  await tabTo(page, page.getByLabel("API key"));
  await page.keyboard.type(c.t.key);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Functions" }).waitFor();

  await tabTo(page, page.getByRole("link", { name: "counter" }));
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "counter" }).waitFor();

  await tabTo(page, page.getByLabel("Payload (JSON)"));
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type('{"n": 3}');
  await tabTo(page, page.getByRole("button", { name: "Invoke", exact: true }));
  await page.keyboard.press("Enter");
  const result = page.getByRole("region", { name: "Invocation result" });
  await result.getByText("succeeded (HTTP 200)").waitFor();
  assert.deepEqual(JSON.parse(await result.getByLabel("Result").innerText()), { v: 2, got: { n: 3 } });

  const row = page.getByRole("table", { name: "Activations" }).getByRole("row", { name: /succeeded/ });
  await tabTo(page, row.getByRole("button"));
  await page.keyboard.press("Enter");
  await page
    .getByRole("region", { name: /^Activation act_/ })
    .getByText("succeeded", { exact: true })
    .waitFor();

  const asked: string[] = [];
  page.once("dialog", (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await tabTo(page, page.getByRole("button", { name: "Roll back to v1" }));
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Deploy v2" }).waitFor();
  assert.match(asked[0] ?? "", /Roll back counter to v1\?/);
  assert.equal((await c.t.invoke("counter", {})).body.v, 1);
  assert.deepEqual(c.pageErrors, []);
});
