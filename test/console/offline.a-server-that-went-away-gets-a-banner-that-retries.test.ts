import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("when the server stops answering, a banner says so and goes once a retry gets an answer", async () => {
  const { page } = c;
  await c.t.deploy("steady", "export default async () => 1");
  await c.signIn();
  await page.getByRole("link", { name: "steady" }).waitFor();

  // The connection fails as it does when the server is gone (refused), for the API and the health check.
  const refuse = (route: { abort: (code: string) => Promise<void> }) => route.abort("connectionrefused");
  await page.route(/\/(v1\/|healthz)/, refuse);
  await page.getByRole("button", { name: "Refresh" }).click();
  const banner = page.getByRole("status").filter({ hasText: "The server is not answering" });
  await banner.waitFor();
  assert.ok(await page.getByRole("link", { name: "steady" }).isVisible(), "what was shown stays");

  await page.unroute(/\/(v1\/|healthz)/, refuse);
  await banner.waitFor({ state: "detached", timeout: 15_000 });
  await page.getByRole("button", { name: "Refresh" }).click();
  await page.getByRole("link", { name: "steady" }).waitFor();
  assert.deepEqual(
    c.pageErrors.filter((e) => !e.includes("ERR_CONNECTION_REFUSED")),
    [],
  );
});
