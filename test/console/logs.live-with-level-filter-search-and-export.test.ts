import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("logs arrive live; the level filter and search narrow them; CSV and JSON export what is shown", async () => {
  const { page } = c;
  await c.t.deploy(
    "chatty",
    `export default async (event) => {
      console.log("order " + event.payload.n + " received");
      console.error("order " + event.payload.n + " failed, retrying");
      return "ok";
    }`,
  );
  await c.t.invoke("chatty", { n: 1 });
  await c.signIn();
  await page.getByRole("link", { name: "chatty" }).click();
  const logs = page.getByRole("list", { name: "Function logs" });
  await logs.getByText("order 1 received").waitFor();

  // A new invocation from elsewhere shows up without a reload.
  await c.t.invoke("chatty", { n: 2 });
  await logs.getByText("order 2 received").waitFor();

  await page.getByLabel("Level").selectOption("error");
  await logs.getByText("order 2 failed, retrying").waitFor();
  assert.equal(await logs.getByText(/received/).count(), 0, "only error lines");
  await page.getByLabel("Search logs").fill("order 2");
  await logs.getByRole("listitem").first().waitFor();
  assert.equal(await logs.getByRole("listitem").count(), 1);

  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  assert.equal(csv.suggestedFilename(), "chatty-logs.csv");
  const csvText = await readFile((await csv.path())!, "utf8");
  assert.match(
    csvText,
    /^time,level,activation,message\n"[^"]+","error","act_[^"]+","order 2 failed, retrying"$/,
  );

  const [json] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export JSON" }).click(),
  ]);
  const exported = JSON.parse(await readFile((await json.path())!, "utf8"));
  assert.deepEqual(
    exported.map((l: { level: string; msg: string }) => [l.level, l.msg]),
    [["error", "order 2 failed, retrying"]],
  );
  assert.deepEqual(c.pageErrors, []);
});
