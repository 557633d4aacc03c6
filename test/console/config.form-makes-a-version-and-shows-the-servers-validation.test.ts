import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("the config form shows the server's validation message, then saves a new version with the new config", async () => {
  const { page } = c;
  await c.t.deploy("tick", "export default async (e, ctx) => ctx.env.GREETING ?? 'none'", {
    schedules: [{ cron: "0 3 * * *" }],
  });
  await c.signIn();
  await page.getByRole("link", { name: "tick" }).click();
  await page
    .getByRole("list", { name: "Schedules" })
    .getByText(/0 3 \* \* \*.*\(UTC\): next /)
    .waitFor();

  await page.getByRole("button", { name: "Edit configuration" }).click();
  const form = page.getByRole("form", { name: "Configuration" });
  assert.equal(await form.getByLabel("Timeout (ms)", { exact: true }).inputValue(), "30000");
  await form.getByLabel("Memory (MB)").fill("1");
  await form.getByRole("button", { name: "Save configuration" }).click();
  await page
    .getByRole("alert")
    .filter({ hasText: /memoryMb/ })
    .waitFor();
  assert.equal((await c.t.call("GET", "/v1/accounts/default/functions/tick")).body.latestVersion, 1);

  await form.getByLabel("Memory (MB)").fill("256");
  await form.getByLabel("Timeout (ms)", { exact: true }).fill("5000");
  await form.getByLabel("Environment (NAME=value, one a line)").fill("GREETING=hello");
  await form.getByRole("button", { name: "Save configuration" }).click();
  await page.getByRole("status").filter({ hasText: "Saved as v2" }).waitFor();
  const v2 = (await c.t.call("GET", "/v1/accounts/default/functions/tick/versions/2")).body;
  assert.equal(v2.config.timeoutMs, 5000);
  assert.equal(v2.config.memoryMb, 256);
  assert.deepEqual(v2.config.env, { GREETING: "hello" });
  assert.deepEqual(v2.config.schedules, [{ cron: "0 3 * * *" }], "what the form did not touch is kept");
  assert.match(v2.source, /GREETING/);

  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Deployed v2" }).waitFor();
  assert.equal((await c.t.invoke("tick")).body, "hello");
  assert.deepEqual(c.pageErrors, []);
});
