import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { consoleDir } from "../../src/server/routes/console.js";
import { startPlatform, type TestPlatform } from "./platform.js";

/** Debian's Chromium (.ci/run installs it when missing). A console test fails, never skips, without it. */
export const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ConsoleTest {
  t: TestPlatform;
  context: BrowserContext;
  page: Page;
  /** Errors the page threw or logged (CSP violations show up here), but for HTTP error answers. */
  pageErrors: string[];
  /** Opens the console and signs in with `key` (the admin key unless given). */
  signIn(key?: string): Promise<void>;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * A real platform with the built console, and a fresh Chromium profile driving it. `platform` is passed to
 * startPlatform; `browser` to the browser context (a phone's viewport, a dark colour scheme).
 */
export async function startConsole(
  opts: {
    platform?: Parameters<typeof startPlatform>[0];
    browser?: Pick<
      NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>,
      "viewport" | "colorScheme" | "isMobile" | "hasTouch" | "deviceScaleFactor"
    >;
  } = {},
): Promise<ConsoleTest> {
  assert.ok(
    existsSync(path.join(consoleDir(), "index.html")),
    "dist/console is not built: run npm run build (npm test builds it)",
  );
  const t = await startPlatform(opts.platform);
  const profile = await mkdtemp(path.join(tmpdir(), "runlet-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 800 },
      timeout: 30_000,
      ...opts.browser,
    });
  } catch (err) {
    await t.close();
    await rm(profile, { recursive: true, force: true });
    throw new Error(`Chromium (${CHROMIUM}) did not start: ${(err as Error).message}`);
  }
  context.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (msg) => {
      // HTTP error answers the console handles (a 401 on sign-in, a 502 invoke) are logged by Chromium too.
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource: the server responded"))
        pageErrors.push(msg.text());
    });
  };
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    t,
    context,
    page,
    pageErrors,
    async signIn(key = t.key) {
      await page.goto(`${t.url}/console/`);
      await page.getByLabel("API key").fill(key);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("button", { name: "Sign out" }).waitFor();
    },
    async newPage() {
      const p = await context.newPage();
      watch(p);
      return p;
    },
    async close() {
      await context.close();
      await t.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
