import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("an invoker's test invoke shows the result, and says logs and billed time need a developer key", async () => {
  const { page } = c;
  await c.t.deploy("talk", `export default async () => { console.log("said something"); return "ok"; }`);
  const key = (await c.t.call("POST", "/v1/accounts/default/keys", { name: "app", role: "invoker" })).body
    .key;
  await c.signIn(key);
  await page.getByLabel("Function name").fill("talk");
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByRole("button", { name: "Invoke", exact: true }).click();
  const result = page.getByRole("region", { name: "Invocation result" });
  await result.getByText("succeeded (HTTP 200)").waitFor();
  assert.equal(await result.getByLabel("Result").innerText(), "ok");
  const note = result.getByRole("note");
  await note.getByText(/An invoker key cannot read logs or billed time/).waitFor();
  assert.match(await note.innerText(), /act_\w+, which a developer or admin key can open/);
  assert.equal(await result.getByText("No log lines.").count(), 0, "no empty log box");
  assert.equal(await result.getByText("said something").count(), 0);
  assert.deepEqual(c.pageErrors, []);
});
