import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("the versions diff side by side; rolling back asks first, and after yes the old version serves", async () => {
  const { page } = c;
  await c.t.deploy("flag", 'export default async () => "one"');
  await c.t.deploy("flag", 'export default async () => "two"');
  assert.equal((await c.t.invoke("flag")).body, "two");
  await c.signIn();
  await page.getByRole("link", { name: "flag" }).click();

  const diff = page.getByRole("table", { name: "Diff of v1 and v2" });
  await diff.getByText('export default async () => "one"').waitFor();
  await diff.getByText('export default async () => "two"').waitFor();

  // Saying no changes nothing.
  page.once("dialog", (d) => void d.dismiss());
  await page.getByRole("button", { name: "Roll back to v1" }).click();
  assert.equal((await c.t.invoke("flag")).body, "two");

  const asked: string[] = [];
  page.once("dialog", (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await page.getByRole("button", { name: "Roll back to v1" }).click();
  const versions = page.getByRole("table", { name: "Versions" });
  await versions.getByRole("row", { name: /v1.*deployed/ }).waitFor();
  assert.match(asked[0] ?? "", /Roll back flag to v1\?/);
  assert.equal((await c.t.invoke("flag")).body, "one");
  await page.getByRole("button", { name: "Deploy v2" }).waitFor();
  assert.deepEqual(c.pageErrors, []);
});
