import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("an http-style function is tried with a request: method, path, headers and body in; status, body and logs out", async () => {
  const { page } = c;
  await c.t.deploy(
    "api",
    `export default {
      async fetch(request) {
        const url = new URL(request.url);
        console.log(request.method + " " + url.pathname);
        return Response.json(
          { method: request.method, path: url.pathname, body: await request.text(), tag: request.headers.get("x-tag") },
          { status: 201 },
        );
      },
    };`,
  );
  await c.signIn();
  await page.getByRole("link", { name: "api" }).click();
  assert.equal(
    await page.getByLabel("Send").inputValue(),
    "http",
    "http-style functions start in request mode",
  );
  await page.getByLabel("Method").selectOption("POST");
  await page.getByLabel("Path").fill("/orders/7");
  await page.getByLabel("Body").fill("qty=2");
  await page.getByLabel("Headers (Name: value, one a line)").fill("X-Tag: console");
  await page.getByRole("button", { name: "Invoke", exact: true }).click();

  const result = page.getByRole("region", { name: "Invocation result" });
  await result.getByText("succeeded (HTTP 201)").waitFor();
  assert.deepEqual(JSON.parse(await result.getByLabel("Response body").innerText()), {
    method: "POST",
    path: "/orders/7",
    body: "qty=2",
    tag: "console",
  });
  await result.getByLabel("Logs").getByText("POST /orders/7").waitFor();
  assert.match(await result.innerText(), /Activation\s+act_/);
  assert.deepEqual(c.pageErrors, []);
});
