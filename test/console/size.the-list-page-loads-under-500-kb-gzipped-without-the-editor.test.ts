import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("the function list loads its assets (gzip -9) under the 500 KB budget, and neither the editor nor the type checker", async () => {
  const { page } = c;
  await c.t.deploy("hello", "export default async () => 1");
  const loaded: { url: string; raw: number; gzipped: number }[] = [];
  page.on("response", (res) => {
    if (!new URL(res.url()).pathname.startsWith("/console/")) return;
    void res.body().then(
      (body) =>
        loaded.push({ url: res.url(), raw: body.length, gzipped: gzipSync(body, { level: 9 }).length }),
      () => undefined,
    );
  });
  await c.signIn();
  await page.getByRole("link", { name: "hello" }).waitFor();
  await page.waitForLoadState("networkidle");

  const names = loaded.map((l) => new URL(l.url).pathname);
  assert.ok(
    names.some((n) => /\/assets\/index-.*\.js$/.test(n)),
    `the app's script is among ${names.join(", ")}`,
  );
  assert.ok(
    !names.some((n) => /editor|ts-worker/.test(n)),
    `no editor chunk on the list page: ${names.join(", ")}`,
  );
  const gzipped = loaded.reduce((n, l) => n + l.gzipped, 0);
  const raw = loaded.reduce((n, l) => n + l.raw, 0);
  // The README's "Console" section states this number.
  console.log(
    `list page: ${(gzipped / 1024).toFixed(1)} KiB gzipped, ${(raw / 1024).toFixed(1)} KiB raw, ${names.length} files`,
  );
  assert.ok(gzipped <= 500 * 1024, `${gzipped} bytes gzipped`);
  assert.deepEqual(c.pageErrors, []);
});
