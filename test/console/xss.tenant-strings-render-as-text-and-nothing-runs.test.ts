import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

const IMG = `<img src=x onerror="window.__pwned='img'">`;
const SCRIPT = `<script>window.__pwned='script'</script>`;

it("HTML in logs, results, errors, payloads and key names is shown as text, and none of it runs", async () => {
  const { page } = c;
  // Names are restricted to [a-z0-9-]; everything else a tenant controls carries the markup.
  await c.t.deploy(
    "evil",
    `export default async (event) => {
      console.log(${JSON.stringify(IMG)});
      console.log(${JSON.stringify(SCRIPT)});
      if (event.payload.fail) throw new Error(${JSON.stringify(IMG + SCRIPT)});
      return { html: ${JSON.stringify(IMG + SCRIPT)}, echo: event.payload };
    }`,
  );
  await c.t.call("POST", "/v1/accounts/default/keys", { name: IMG, role: "invoker" });
  await c.signIn();
  await page.getByRole("link", { name: "evil" }).click();

  await page.getByLabel("Payload (JSON)").fill(JSON.stringify({ note: SCRIPT }));
  await page.getByRole("button", { name: "Invoke", exact: true }).click();
  const result = page.getByRole("region", { name: "Invocation result" });
  await result.getByText("succeeded (HTTP 200)").waitFor();
  const logs = result.getByLabel("Logs");
  await logs.getByText(IMG, { exact: true }).waitFor();
  await logs.getByText(SCRIPT, { exact: true }).waitFor();
  const shown = JSON.parse(await result.getByLabel("Result").innerText());
  assert.deepEqual(shown, { html: IMG + SCRIPT, echo: { note: SCRIPT } });

  await page.getByLabel("Payload (JSON)").fill('{"fail": true}');
  await page.getByRole("button", { name: "Invoke", exact: true }).click();
  await result.getByText("function_error (HTTP 502)").waitFor();
  await result.getByText(`Error: ${IMG}${SCRIPT}`).waitFor();

  // The activation detail shows the same text.
  const failed = page
    .getByRole("table", { name: "Activations" })
    .getByRole("row", { name: /function_error/ });
  await failed.getByRole("button").click();
  await page
    .getByRole("region", { name: /^Activation act_/ })
    .getByText(IMG, { exact: true })
    .waitFor();

  await page.getByRole("link", { name: "Account" }).click();
  await page.getByRole("table", { name: "API keys" }).getByRole("cell", { name: IMG, exact: true }).waitFor();

  assert.equal(await page.evaluate("window.__pwned"), undefined, "no tenant markup ran");
  assert.equal(await page.locator('img[src="x"]').count(), 0, "no tenant <img> in the page");
  assert.equal(await page.locator("script:not([src])").count(), 0, "no inline <script> in the page");
  assert.deepEqual(c.pageErrors, []);
});
