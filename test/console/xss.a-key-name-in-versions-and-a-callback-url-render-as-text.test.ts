import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";
import { fastQueue, invokeAsync, settled } from "../queue/helpers.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole({ platform: { config: { queue: fastQueue({ callbackAttempts: 1 }) } } });
});
after(() => c.close());

const IMG = `<img src=x onerror="window.__pwned='img'">`;

it("a key named with HTML shows as text in the versions it made; so does a callback URL in an activation", async () => {
  const { page } = c;
  const key = (await c.t.call("POST", "/v1/accounts/default/keys", { name: IMG, role: "developer" })).body;
  const put = await c.t.call(
    "PUT",
    "/v1/accounts/default/functions/hook?deploy=true",
    { source: "export default async () => 1" },
    { key: key.key },
  );
  assert.equal(put.status, 201, put.text);
  // A callback to a host that does not resolve: it fails, and the record keeps the URL as sent.
  const url = `https://x.invalid/?q=${encodeURIComponent(IMG)}&raw=<b>`;
  const id = (await invokeAsync(c.t, "hook", {}, { "x-callback-url": url })).body.activationId as string;
  assert.ok(id, "queued with the callback");
  const done = await settled(c.t, id, { callback: true });

  await c.signIn();
  await page.getByRole("link", { name: "hook" }).click();
  const versions = page.getByRole("table", { name: "Versions" });
  await versions.getByRole("cell", { name: `${IMG} (key:${key.id})`, exact: true }).waitFor();

  await page.getByRole("table", { name: "Activations" }).getByRole("button", { name: id }).click();
  const callback = page.getByRole("region", { name: "Callback" });
  await callback.getByText(done.callback.url, { exact: true }).waitFor();
  assert.equal(await page.locator("img").count(), 0, "no <img> element was made");
  assert.equal(await page.evaluate("window.__pwned"), undefined);
  assert.deepEqual(c.pageErrors, []);
});
