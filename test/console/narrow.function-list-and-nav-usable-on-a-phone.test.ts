import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole({
    browser: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  });
});
after(() => c.close());

/** The page does not scroll sideways (wide tables scroll inside their own box). */
const fitsTheWidth = (page: Page) =>
  page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");

/** Wholly inside the 390 px viewport, horizontally. */
async function inView(target: Locator) {
  const box = await target.boundingBox();
  assert.ok(box, `${target.toString()} is not shown`);
  assert.ok(
    box.x >= 0 && box.x + box.width <= 390,
    `${target.toString()} sticks out: ${JSON.stringify(box)}`,
  );
}

it("on a 390×844 phone the nav, the function list, its filter and a function's test invoke are on screen and work by touch", async () => {
  const { page } = c;
  await c.t.deploy("checkout-webhook-handler", "export default async () => 'paid'");
  await c.t.deploy("hello", "export default async () => 'hi'");
  await c.signIn();

  const nav = page.getByRole("navigation", { name: "Main" });
  await inView(nav.getByRole("link", { name: "Functions" }));
  await inView(nav.getByRole("link", { name: "Account" }));
  await inView(page.getByRole("button", { name: "Sign out" }));
  await inView(page.getByRole("link", { name: "checkout-webhook-handler" }));
  assert.ok(await fitsTheWidth(page), "the list page fits the phone's width");

  await page.getByLabel("Filter by name").fill("checkout");
  await page.getByRole("link", { name: "hello" }).waitFor({ state: "detached" });
  await page.getByRole("link", { name: "checkout-webhook-handler" }).tap();
  await page.getByRole("heading", { name: "checkout-webhook-handler" }).waitFor();
  const invoke = page.getByRole("button", { name: "Invoke", exact: true });
  await invoke.scrollIntoViewIfNeeded();
  await inView(invoke);
  await invoke.tap();
  await page.getByRole("region", { name: "Invocation result" }).getByText("succeeded (HTTP 200)").waitFor();
  assert.ok(await fitsTheWidth(page), "a function's page fits the phone's width");

  await nav.getByRole("link", { name: "Account" }).tap();
  await page.getByRole("heading", { name: "Account default" }).waitFor();
  assert.ok(await fitsTheWidth(page), "the account page fits the phone's width");
  assert.deepEqual(c.pageErrors, []);
});
