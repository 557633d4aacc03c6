import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";
import { activation } from "../store/contract/fixtures.js";

const DAY = 86_400_000;
let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("the metrics range buttons show each range's outcomes, error rate and cold starts, per function and per account", async () => {
  const { page, t } = c;
  await t.deploy(
    "pay",
    `export default async (e) => { if (e.payload.fail) throw new Error("declined"); return 1; }`,
  );
  await t.deploy("ship", `export default async () => 2`);
  for (let i = 0; i < 3; i++) assert.equal((await t.invoke("pay")).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await t.invoke("pay", { fail: true })).status, 502);
  assert.equal((await t.invoke("ship")).status, 200);
  // Older records, as an earlier week's invocations left them: a success 3 days ago (a cold start) and a
  // failure 10 days ago. Only the 7 d and 30 d ranges reach them.
  const now = Date.now();
  await t.platform.store.activations.insertMany([
    activation("default", 1, { function: "pay", startedAt: now - 3 * DAY, coldStart: true }),
    activation("default", 2, {
      function: "pay",
      status: "function_error",
      error: { code: "RUNLET_ERR_FUNCTION_ERROR", message: "Error: declined" },
      startedAt: now - 10 * DAY,
    }),
  ]);

  await c.signIn();
  // The list shows the last hour of each function.
  const row = page.getByRole("table", { name: "Functions" }).getByRole("row", { name: /^pay / });
  await row.waitFor();
  assert.match(await row.innerText(), /\b5\b[\s\S]*\b40%/);

  await page.getByRole("link", { name: "pay" }).click();
  const metrics = page.getByRole("region", { name: "Metrics" });
  const range = metrics.getByRole("group", { name: "Time range" });
  const totals = metrics.getByLabel("Totals");
  const summary = metrics.getByRole("table", { name: "Summary" });
  const expect = async (
    label: string,
    outcomes: string,
    invocations: number,
    errorRate: string,
    cold: number,
  ) => {
    await range.getByRole("button", { name: label, exact: true }).click();
    await totals
      .getByText(`${outcomes}, 0 timeout, 0 platform failure, 0 rejected in the last ${label}`)
      .waitFor();
    await summary.getByRole("row", { name: `Invocations ${invocations}`, exact: true }).waitFor();
    await summary.getByRole("row", { name: `Error rate ${errorRate}`, exact: true }).waitFor();
    await summary.getByRole("row", { name: `Cold starts ${cold}`, exact: true }).waitFor();
    await summary.getByRole("row", { name: "Throttled 0", exact: true }).waitFor();
    assert.equal(
      await range.getByRole("button", { name: label, exact: true }).getAttribute("aria-pressed"),
      "true",
    );
  };
  await expect("1h", "3 succeeded, 2 code failure", 5, "40%", 0);
  await expect("24h", "3 succeeded, 2 code failure", 5, "40%", 0);
  await expect("7d", "4 succeeded, 2 code failure", 6, "33%", 1);
  await expect("30d", "4 succeeded, 3 code failure", 7, "43%", 1);
  await expect("1h", "3 succeeded, 2 code failure", 5, "40%", 0);
  for (const chart of ["Invocations by outcome", "Duration p50 and p99", "Cold starts and throttled"]) {
    await metrics.getByRole("heading", { name: chart }).waitFor();
  }

  // The account's metrics count every function.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Metrics" }).click();
  await page.getByRole("heading", { name: "Metrics of account default" }).waitFor();
  await expect("1h", "4 succeeded, 2 code failure", 6, "33%", 0);
  await expect("30d", "5 succeeded, 3 code failure", 8, "38%", 1);
  assert.deepEqual(c.pageErrors, []);
});
