import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("each version shows the key that made it and the key that last deployed it, and when", async () => {
  const { page } = c;
  const dev = (await c.t.call("POST", "/v1/accounts/default/keys", { name: "alice", role: "developer" }))
    .body;
  const put = (source: string, deploy: boolean) =>
    c.t.call(
      "PUT",
      `/v1/accounts/default/functions/shop${deploy ? "?deploy=true" : ""}`,
      { source },
      { key: dev.key },
    );
  assert.equal((await put("export default async () => 1", true)).status, 201);
  assert.equal((await put("export default async () => 2", false)).status, 201);

  await c.signIn();
  await page.getByRole("link", { name: "shop" }).click();
  const versions = page.getByRole("table", { name: "Versions" });
  const v1 = versions.getByRole("row", { name: /^v1 / });
  const v2 = versions.getByRole("row", { name: /^v2 / });
  await v1.getByRole("cell", { name: `alice (key:${dev.id})`, exact: true }).waitFor();
  await v1.getByRole("cell", { name: new RegExp(` by alice \\(key:${dev.id}\\)$`) }).waitFor();
  await v2.getByRole("cell", { name: `alice (key:${dev.id})`, exact: true }).waitFor();
  await v2.getByRole("cell", { name: "never", exact: true }).waitFor();

  // Deployed from the console (one click and a yes): the admin key is the deployer now.
  page.once("dialog", (d) => void d.accept());
  await v2.getByRole("button", { name: "Deploy v2" }).click();
  const admin = (await c.t.call("GET", "/v1/whoami")).body.keyId as string;
  await v2.getByRole("cell", { name: new RegExp(` by .*\\(key:${admin}\\)$`) }).waitFor();
  await versions.getByRole("row", { name: /^v2 .*deployed/ }).waitFor();
  assert.deepEqual(c.pageErrors, []);
});
