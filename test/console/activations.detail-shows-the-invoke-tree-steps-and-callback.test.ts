import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";
import { fastQueue, invokeAsync, settled } from "../queue/helpers.js";

let c: ConsoleTest;
/** A callback receiver that refuses the first delivery (HTTP 503) and takes the next. */
let hook: { url: string; close: () => Promise<void> };
before(async () => {
  c = await startConsole({
    platform: {
      config: { queue: fastQueue({ callbackAttempts: 3, callbackRetryMs: 20 }) },
      // The receiver listens on loopback, which callbacks may not reach unless let through.
      platform: { outbound: { allowPrivate: ["127.0.0.1"] } },
    },
  });
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(++calls === 1 ? 503 : 200).end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  hook = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
});
after(async () => {
  await hook.close();
  await c.close();
});

it("an activation's detail shows the ctx.invoke calls around it as a tree, with each one's status and duration", async () => {
  const { page } = c;
  await c.t.deploy("leaf", `export default async (e) => { console.log("leaf ran"); return e.payload; }`);
  await c.t.deploy(
    "mid",
    `export default async (e, ctx) => [await ctx.invoke("leaf", 1), await ctx.invoke("leaf", 2)]`,
  );
  await c.t.deploy("root", `export default async (e, ctx) => ({ mid: await ctx.invoke("mid") })`);
  assert.equal((await c.t.invoke("root")).status, 200);
  await c.t.platform.activations.flush();

  await c.signIn();
  await page.getByRole("link", { name: "mid", exact: true }).click();
  const list = page.getByRole("table", { name: "Activations" });
  await list
    .getByRole("row", { name: /function/ })
    .getByRole("button")
    .click();
  const detail = page.getByRole("region", { name: /^Activation act_/ });
  await detail.getByRole("button", { name: /act_/ }).first().waitFor(); // "Invoked by" the root's activation

  const tree = detail.getByRole("region", { name: "Invocation tree" });
  const root = tree
    .getByRole("listitem")
    .filter({ has: page.getByRole("button", { name: /^root — succeeded, \d/ }) });
  await root.waitFor();
  const mid = root
    .getByRole("listitem")
    .filter({ has: page.getByRole("button", { name: /^mid — succeeded/ }) });
  await mid.getByRole("button", { name: /^mid — / }).waitFor();
  assert.equal(await mid.getByRole("button", { name: /^mid — / }).getAttribute("aria-current"), "true");
  const leaves = mid.getByRole("button", { name: /^leaf — succeeded, [\d.]+ ms$/ });
  await leaves.nth(1).waitFor();
  assert.equal(await leaves.count(), 2);

  // Opening a leaf shows its record, invoked by mid, with its logs.
  await leaves.first().click();
  await detail.getByRole("heading", { name: /^Activation act_/ }).waitFor();
  await page
    .getByRole("region", { name: /^Activation act_/ })
    .getByText("leaf ran")
    .waitFor();
  assert.deepEqual(c.pageErrors, []);
});

it("a sequence's detail lists its steps; an async one with X-Callback-Url shows how the callback went", async () => {
  const { page } = c;
  const put = await c.t.call("PUT", "/v1/accounts/default/functions/pipe?deploy=true", {
    sequence: ["leaf", "leaf"],
  });
  assert.equal(put.status, 201, put.text);
  const id = (await invokeAsync(c.t, "pipe", { n: 1 }, { "x-callback-url": hook.url })).body
    .activationId as string;
  const done = await settled(c.t, id, { callback: true });
  assert.equal(done.callback.status, "delivered");

  await page.goto(`${c.t.url}/console/#/functions/pipe`);
  await page.getByRole("table", { name: "Activations" }).getByRole("button", { name: id }).click();
  const detail = page.getByRole("region", { name: `Activation ${id}` });
  const steps = detail.getByRole("table", { name: "Sequence steps" });
  await steps.getByRole("row", { name: /^1 leaf succeeded/ }).waitFor();
  await steps.getByRole("row", { name: /^2 leaf succeeded/ }).waitFor();

  const callback = detail.getByRole("region", { name: "Callback" });
  await callback.getByText(hook.url).waitFor();
  await callback.getByText("delivered", { exact: true }).waitFor();
  assert.equal(await callback.getByRole("definition").nth(2).innerText(), "2", "delivered on the second try");
  assert.deepEqual(c.pageErrors, []);
});
