import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("an access token signs in like a key and says so; once its key is revoked the console asks to sign in again", async () => {
  const { page } = c;
  await c.t.deploy("hello", "export default async () => 'hi'");
  const key = (await c.t.call("POST", "/v1/accounts/default/keys", { name: "ci", role: "developer" })).body;
  const token = await c.t.call(
    "POST",
    "/v1/oauth/token",
    { grant_type: "client_credentials", client_id: key.id, client_secret: key.key },
    { key: null },
  );
  assert.equal(token.status, 200, token.text);
  const jwt = token.body.access_token as string;

  await c.signIn(jwt);
  await page.getByText(`${key.id} (developer, access token) in default`).waitFor();
  await page.getByRole("link", { name: "hello" }).waitFor();
  assert.ok(!page.url().includes(jwt), "the token is not in the URL");

  assert.equal((await c.t.call("DELETE", `/v1/accounts/default/keys/${key.id}`)).status, 204);
  await page.getByRole("link", { name: "hello" }).click();
  await page.getByRole("alert").filter({ hasText: "no longer accepts this credential" }).waitFor();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  assert.equal(await page.evaluate("sessionStorage.getItem('runlet.key')"), null);
  assert.deepEqual(
    c.pageErrors.filter((e) => !e.includes("401")),
    [],
  );
});
