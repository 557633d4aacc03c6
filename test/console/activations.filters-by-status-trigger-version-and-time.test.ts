import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("the activations list narrows by status, trigger, version and time range, and says when nothing matches", async () => {
  const { page } = c;
  await c.t.deploy(
    "job",
    `export default async (e) => { if (e.payload.fail) throw new Error("no"); return 1; }`,
  );
  await c.t.invoke("job", {});
  await c.t.invoke("job", { fail: true });
  await c.t.deploy("job", `export default async () => 2`);
  await c.t.invoke("job", {});
  await c.t.deploy("caller", `export default async (e, ctx) => ctx.invoke("job")`);
  await c.t.invoke("caller", {});
  await c.t.platform.activations.flush();

  await c.signIn();
  await page.getByRole("link", { name: "job", exact: true }).click();
  const list = page.getByRole("table", { name: "Activations" });
  const rows = list.getByRole("row").filter({ hasText: /act_/ });
  /** Waits until the table lists `n` activations (the list reloads after each change of filter). */
  const rowsAre = async (n: number) => {
    for (let i = 0; (await rows.count()) !== n; i++) {
      assert.ok(i < 200, `the list never showed ${n} activations (it shows ${await rows.count()})`);
      await page.waitForTimeout(50);
    }
  };
  await rows.nth(3).waitFor();
  assert.equal(await rows.count(), 4);

  const filters = page.getByRole("form", { name: "Activation filters" });
  await filters.getByLabel("Status").selectOption("function_error");
  await list.getByRole("row", { name: /function_error/ }).waitFor();
  await rowsAre(1);
  assert.match(await rows.first().innerText(), /v1/);

  await filters.getByLabel("Status").selectOption("");
  await filters.getByLabel("Version").selectOption("v2");
  await rowsAre(2);
  for (const text of await rows.allInnerTexts()) assert.match(text, /v2/);

  await filters.getByLabel("Trigger").selectOption("function");
  await rowsAre(1);
  assert.match(await rows.first().innerText(), /function/);

  await filters.getByLabel("Trigger").selectOption("");
  await filters.getByLabel("Version").selectOption("");
  await filters.getByLabel("Time range").selectOption("last hour");
  await rowsAre(4);

  // A custom range that ended before any of them ran: nothing, and the page says so.
  await filters.getByLabel("Time range").selectOption("custom");
  await filters.getByLabel("From", { exact: true }).fill("2020-01-01T00:00");
  await filters.getByLabel("To", { exact: true }).fill("2020-01-02T00:00");
  await page.getByText("No activations match these filters.").waitFor();
  assert.equal(await list.count(), 0);
  assert.deepEqual(c.pageErrors, []);
});
