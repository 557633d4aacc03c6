import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("the activations list shows 20 at a time; Older shows the ones before, Newest goes back", async () => {
  const { page } = c;
  await c.t.deploy("tick", "export default async (e) => e.payload.n");
  for (let n = 1; n <= 25; n++) assert.equal((await c.t.invoke("tick", { n })).status, 200);
  await c.t.platform.activations.flush();
  const ids = (
    await c.t.call("GET", "/v1/accounts/default/activations?function=tick&limit=25")
  ).body.activations.map((a: { id: string }) => a.id) as string[];

  await c.signIn();
  await page.getByRole("link", { name: "tick" }).click();
  const list = page.getByRole("table", { name: "Activations" });
  const shown = async () =>
    (await list.getByRole("row").filter({ hasText: /act_/ }).getByRole("button").allInnerTexts()).map((t) =>
      t.trim(),
    );
  await list.getByRole("button", { name: ids[19]! }).waitFor();
  assert.deepEqual(await shown(), ids.slice(0, 20));
  assert.ok(await page.getByRole("button", { name: "Newest activations" }).isDisabled());

  await page.getByRole("button", { name: "Older activations" }).click();
  await list.getByRole("button", { name: ids[24]! }).waitFor();
  assert.deepEqual(await shown(), ids.slice(20));
  assert.ok(await page.getByRole("button", { name: "Older activations" }).isDisabled(), "nothing older");

  await page.getByRole("button", { name: "Newest activations" }).click();
  await list.getByRole("button", { name: ids[0]! }).waitFor();
  assert.deepEqual(await shown(), ids.slice(0, 20));
  assert.deepEqual(c.pageErrors, []);
});
