import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("lists functions idle for N days with their last invocation, and an admin sets and deletes the policy", async () => {
  const { page, t } = c;
  await t.deploy("forgotten", "export default async () => 1", { minInstances: 1, memoryMb: 128 });
  await t.deploy("busy", "export default async () => 2");
  assert.equal((await t.invoke("busy")).status, 200);

  await c.signIn();
  await page.getByRole("link", { name: "Account" }).click();
  const idle = page.getByRole("region", { name: "Forgotten functions" });
  // Both were changed just now, so neither has been idle for the default 30 days.
  await idle.getByText("No function idle for 30 days.").waitFor();

  // A negative number of days gets the server's message.
  await idle.getByLabel("Not invoked for (days)").fill("-3");
  await idle.getByRole("button", { name: "Show idle functions" }).click();
  await idle.getByRole("alert").getByText("querystring/idleDays must be >= 0").waitFor();

  // Idle since their last change or invocation, whichever is later: 0 days lists both.
  await idle.getByLabel("Not invoked for (days)").fill("0");
  await idle.getByRole("button", { name: "Show idle functions" }).click();
  const table = idle.getByRole("table", { name: "Idle functions" });
  const forgotten = table.getByRole("row").filter({ has: page.getByRole("cell", { name: "forgotten" }) });
  await forgotten.waitFor();
  assert.match(await forgotten.innerText(), /never/);
  assert.match(await forgotten.innerText(), /1 warm × 128 MB/);
  const perMonth = (await t.call("GET", "/v1/accounts/default/functions?idleDays=0")).body.functions.find(
    (f: { name: string }) => f.name === "forgotten",
  ).cost.perMonth;
  assert.ok(perMonth > 0, "a warm instance costs something");
  await forgotten.getByRole("cell", { name: String(perMonth), exact: true }).waitFor();
  const busy = table.getByRole("row").filter({ has: page.getByRole("cell", { name: "busy" }) });
  assert.doesNotMatch(await busy.innerText(), /never/);

  // The policy: a bad value gets the server's message; a good one is shown, then deleted.
  await idle.getByText("No idle policy: idle functions stay deployed.").waitFor();
  await idle.getByLabel("Undeploy after (days)").fill("0");
  await idle.getByRole("button", { name: "Set idle policy" }).click();
  await idle
    .getByRole("alert")
    .getByText(/undeployAfterDays must be a whole number of days/)
    .waitFor();
  await idle.getByLabel("Undeploy after (days)").fill("45");
  await idle.getByRole("button", { name: "Set idle policy" }).click();
  await idle
    .getByLabel("Idle policy")
    .getByText(/Undeploy after 45 days idle; webhook none/)
    .waitFor();
  assert.equal((await t.call("GET", "/v1/accounts/default/idle-policy")).body.undeployAfterDays, 45);

  page.once("dialog", (d) => void d.accept());
  await idle.getByRole("button", { name: "Delete idle policy" }).click();
  await idle.getByText("No idle policy: idle functions stay deployed.").waitFor();
  assert.equal((await t.call("GET", "/v1/accounts/default/idle-policy")).status, 404);
  assert.deepEqual(c.pageErrors, []);
});
