import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("a bad percent shows the server's message; v2 at 50 % shows as the canary with per-version counts, and promote makes it serve", async () => {
  const { page } = c;
  await c.t.deploy("split", 'export default async () => "one"');
  const put = await c.t.call("PUT", "/v1/accounts/default/functions/split", {
    source: 'export default async () => "two"',
  });
  assert.equal(put.status, 201, put.text);
  await c.signIn();
  await page.getByRole("link", { name: "split" }).click();

  const form = page.getByRole("form", { name: "Deploy as canary" });
  await form.getByLabel("Canary version").selectOption("2");
  await form.getByLabel("Percent").fill("150");
  await form.getByRole("button", { name: "Deploy as canary" }).click();
  await form
    .getByRole("alert")
    .filter({ hasText: /percent/ })
    .waitFor();
  assert.match(await form.getByRole("alert").innerText(), /RUNLET_ERR_INVALID_ROLLOUT/);

  await form.getByLabel("Percent").fill("50");
  await form.getByRole("button", { name: "Deploy as canary" }).click();
  const running = page.getByRole("status", { name: "Running canary" });
  await running.getByText(/Canary v2 takes 50 % of invocations since .*beside v1/).waitFor();

  // Route keys spread over the buckets: both versions serve some of these.
  const bodies = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const res = await c.t.invoke("split", {}, { headers: { "x-runlet-route-key": `caller-${i}` } });
    bodies.add(res.body as string);
  }
  assert.deepEqual([...bodies].sort(), ["one", "two"]);
  await c.t.platform.activations.flush();

  await page.reload();
  const counts = page.getByRole("table", { name: "Last hour by version" });
  const v1 = Number(await counts.getByRole("row", { name: /^v1 / }).getByRole("cell").nth(1).innerText());
  const v2 = Number(await counts.getByRole("row", { name: /^v2 / }).getByRole("cell").nth(1).innerText());
  assert.ok(v1 > 0 && v2 > 0, `both versions counted: v1 ${v1}, v2 ${v2}`);
  assert.equal(v1 + v2, 40);

  const asked: string[] = [];
  page.once("dialog", (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await page.getByRole("button", { name: "Promote" }).click();
  await page.getByText("No canary runs: the deployed version takes every invocation.").waitFor();
  assert.match(asked[0] ?? "", /Promote v2 of split\?/);
  await page.getByText("latest v2, deployed v2").waitFor();
  for (let i = 0; i < 5; i++) {
    const res = await c.t.invoke("split", {}, { headers: { "x-runlet-route-key": `caller-${i}` } });
    assert.equal(res.body, "two");
  }
  assert.deepEqual(c.pageErrors, []);
});
