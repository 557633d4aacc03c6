import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("replaying a recorded activation on a changed version shows different result at its path; one not recorded shows why", async () => {
  const { page } = c;
  await c.t.deploy("quiet", 'export default async () => "hush"');
  await c.t.deploy("price", "export default async (e) => ({ price: e.payload.n * 2 })", {
    record: { sample: 1 },
  });
  const put = await c.t.call("PUT", "/v1/accounts/default/functions/price", {
    source: "export default async (e) => ({ price: e.payload.n * 3 })",
    record: { sample: 1 },
  });
  assert.equal(put.status, 201, put.text);
  assert.deepEqual((await c.t.invoke("price", { n: 4 })).body, { price: 8 });
  assert.equal((await c.t.invoke("quiet")).status, 200);
  await c.t.platform.activations.flush();

  await c.signIn();
  await page.getByRole("link", { name: "price", exact: true }).click();
  await page.getByRole("table", { name: "Activations" }).getByRole("button", { name: /^act_/ }).click();
  const replay = page
    .getByRole("region", { name: /^Activation act_/ })
    .getByRole("region", { name: "Replay" });
  await replay.getByLabel("Replay on version").selectOption("1");
  await replay.getByRole("button", { name: "Replay on v1" }).click();
  const verdict = replay.getByRole("status", { name: "Replay verdict" });
  await verdict.getByText("Same result").waitFor();

  await replay.getByLabel("Replay on version").selectOption("2");
  await replay.getByRole("button", { name: "Replay on v2" }).click();
  await verdict.getByText("Different result").waitFor();
  const diff = verdict.getByRole("table", { name: "Result differences" });
  const row = diff.getByRole("row", { name: /\$\.result\.price/ });
  assert.deepEqual(await row.getByRole("cell").allInnerTexts(), ["$.result.price", "8", "12"]);

  // A function without record: the server's message says what to do.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Functions" }).click();
  await page.getByRole("link", { name: "quiet", exact: true }).click();
  await page.getByRole("table", { name: "Activations" }).getByRole("button", { name: /^act_/ }).click();
  const other = page
    .getByRole("region", { name: /^Activation act_/ })
    .getByRole("region", { name: "Replay" });
  await other.getByRole("button", { name: "Replay on v1" }).click();
  const alert = other.getByRole("alert");
  await alert.getByText(/RUNLET_ERR_NOT_RECORDED/).waitFor();
  assert.match(await alert.innerText(), /record/);
  assert.deepEqual(c.pageErrors, []);
});
