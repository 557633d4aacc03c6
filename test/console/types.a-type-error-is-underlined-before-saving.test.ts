import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("the editor type checks against Runlet's author types: a type error is listed and underlined before saving", async () => {
  const { page } = c;
  await c.t.call("PUT", "/v1/accounts/default/functions/typed", {
    source:
      'import type { Context } from "runlet";\nexport default async (_e: unknown, ctx: Context) => ctx.activationId;\n',
  });
  await c.signIn();
  await page.getByRole("link", { name: "typed" }).click();
  const editor = page.getByRole("textbox", { name: "Source code" });
  await editor.getByText("activationId").waitFor();
  // Runlet's types resolve: the valid source has no type errors.
  assert.equal(await page.getByRole("list", { name: "Type errors" }).count(), 0);

  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(
    'import type { Context } from "runlet";\nexport default async (_e: unknown, ctx: Context) => {\n  const n: number = ctx.activationId;\n  return ctx.nope;\n};\n',
  );
  const problems = page.getByRole("list", { name: "Type errors" });
  await problems.getByText("Line 3, column 9: Type 'string' is not assignable to type 'number'.").waitFor({
    timeout: 30_000,
  });
  await problems.getByText(/^Line 4, column 14: Property 'nope' does not exist on type/).waitFor();
  assert.equal(await page.locator(".cm-lintRange-error").count(), 2, "both are underlined in the editor");
  // Nothing was saved: checking happens in the browser.
  assert.equal((await c.t.call("GET", "/v1/accounts/default/functions/typed")).body.latestVersion, 1);
  assert.deepEqual(c.pageErrors, []);
});
