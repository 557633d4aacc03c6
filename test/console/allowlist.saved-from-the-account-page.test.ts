import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("an admin saves the outbound allowlist, one host a line; the server keeps it; a bad host gets the server's message", async () => {
  const { page } = c;
  await c.signIn();
  await page.getByRole("link", { name: "Account" }).click();
  const section = page.getByRole("region", { name: "Outbound allowlist" });
  const hosts = section.getByLabel(/Hosts functions may fetch/);
  await hosts.fill("api.example.com\n*.stripe.com\n");
  await section.getByRole("button", { name: "Save allowlist" }).click();
  await section.getByRole("status").filter({ hasText: "Allowlist saved." }).waitFor();
  const saved = await c.t.call("GET", "/v1/accounts/default/allowlist");
  assert.deepEqual(saved.body.domains, ["api.example.com", "*.stripe.com"]);

  await hosts.fill("http://not a host/");
  await section.getByRole("button", { name: "Save allowlist" }).click();
  await section.getByRole("alert").filter({ hasText: "RUNLET_ERR_" }).waitFor();
  assert.deepEqual(
    (await c.t.call("GET", "/v1/accounts/default/allowlist")).body.domains,
    saved.body.domains,
  );
  assert.deepEqual(
    c.pageErrors.filter((e) => !e.includes("400")),
    [],
  );
});
