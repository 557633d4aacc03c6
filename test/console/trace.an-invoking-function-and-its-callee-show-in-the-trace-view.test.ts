import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("an activation's trace view shows it and the function it ctx.invoke'd, each with status, queued, start offset and duration", async () => {
  const { page } = c;
  await c.t.deploy("callee", "export default async (e) => e.payload * 2");
  await c.t.deploy("caller", `export default async (e, ctx) => ({ got: await ctx.invoke("callee", 21) })`);
  assert.deepEqual((await c.t.invoke("caller")).body, { got: 42 });
  await c.t.platform.activations.flush();

  await c.signIn();
  await page.getByRole("link", { name: "caller", exact: true }).click();
  await page.getByRole("table", { name: "Activations" }).getByRole("button", { name: /^act_/ }).click();
  const detail = page.getByRole("region", { name: /^Activation act_/ });
  const trace = detail.getByRole("region", { name: "Trace" });
  await trace.getByRole("button", { name: "Show trace" }).click();

  const tree = trace.getByRole("list", { name: "Trace tree" });
  const timing = String.raw`queued [\d.]+ ms, starts at \+[\d.]+ ms, takes [\d.]+ ms`;
  const caller = tree
    .getByRole("listitem")
    .filter({ has: page.getByRole("button", { name: new RegExp(`^caller v1 — succeeded, ${timing}$`) }) });
  await caller.waitFor();
  assert.equal(
    await caller.getByRole("button", { name: /^caller / }).getAttribute("aria-current"),
    "true",
    "the open activation is marked",
  );
  const callee = caller.getByRole("button", { name: new RegExp(`^callee v1 — succeeded, ${timing}$`) });
  await callee.waitFor();
  await trace.getByText(/^Trace [0-9a-f]{32}: 2 activations over /).waitFor();

  // A node opens that activation's record.
  await callee.click();
  await page
    .getByRole("region", { name: /^Activation act_/ })
    .getByText("callee v1", { exact: true })
    .waitFor();
  assert.deepEqual(c.pageErrors, []);
});
