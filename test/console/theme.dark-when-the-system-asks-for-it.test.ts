import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole({ browser: { colorScheme: "dark" } });
});
after(() => c.close());

/** Relative luminance (0 black … 1 white) of a computed `rgb(r, g, b)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  assert.ok(r !== undefined && g !== undefined && b !== undefined, `not a colour: ${rgb}`);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

it("a dark system setting gets a dark page with light text; a light one a light page", async () => {
  const { page } = c;
  await c.t.deploy("hello", "export default async () => 1");
  await c.signIn();
  const link = page.getByRole("link", { name: "hello" });
  await link.waitFor();
  const colours = () =>
    page.evaluate<{ bg: string; fg: string; panel: string }>(`(() => {
      const body = getComputedStyle(document.body);
      const panel = getComputedStyle(document.querySelector("section"));
      return { bg: body.backgroundColor, fg: body.color, panel: panel.backgroundColor };
    })()`);

  const dark = await colours();
  assert.ok(luminance(dark.bg) < 0.2, `dark background: ${dark.bg}`);
  assert.ok(luminance(dark.fg) > 0.7, `light text on it: ${dark.fg}`);

  await page.emulateMedia({ colorScheme: "light" });
  const light = await colours();
  assert.notEqual(light.bg, dark.bg);
  assert.notEqual(light.panel, dark.panel);
  assert.ok(luminance(light.bg) > 0.8, `light background: ${light.bg}`);
  assert.ok(luminance(light.fg) < 0.3, `dark text on it: ${light.fg}`);
  assert.deepEqual(c.pageErrors, []);
});
