import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole();
});
after(() => c.close());

it("GET / redirects to the console, which carries a strict CSP and refuses framing", async () => {
  const res = await fetch(`${c.t.url}/`, { redirect: "manual" });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/console/");
  const page = await fetch(`${c.t.url}/console/`);
  assert.equal(page.status, 200);
  const csp = page.headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(page.headers.get("x-frame-options"), "DENY");
  assert.doesNotMatch(await page.text(), /<script>|<script(?![^>]*\bsrc=)[^>]*>/, "no inline script");
});

it("a wrong key gets a clear message; the right key signs in, stays out of the URL; sign out forgets it", async () => {
  const { page } = c;
  await page.goto(`${c.t.url}/`);
  await page.getByLabel("API key").fill("rlk_not-a-key");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "unknown, revoked or expired" }).waitFor();

  await page.getByLabel("API key").fill(c.t.key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Functions" }).waitFor();
  assert.ok(await page.getByText("(admin) in default").isVisible(), "the key's role and account are shown");
  assert.ok(!page.url().includes(c.t.key), "the key is not in the URL");
  assert.equal(await page.evaluate("sessionStorage.getItem('runlet.key')"), c.t.key);
  assert.equal(await page.evaluate("localStorage.length"), 0, "nothing of the key in localStorage");

  // A reload keeps the session (same tab); signing out forgets the key.
  await page.reload();
  await page.getByRole("heading", { name: "Functions" }).waitFor();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("API key").waitFor();
  assert.equal(await page.evaluate("sessionStorage.getItem('runlet.key')"), null);
  assert.deepEqual(
    c.pageErrors.filter((e) => !e.includes("401")),
    [],
  );
});
