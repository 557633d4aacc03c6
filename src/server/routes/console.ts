import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RunletError } from "../../errors.js";

/**
 * What every console response carries: scripts, style sheets and connections from this origin only (no
 * inline script, no eval; inline style attributes only), never framed, no MIME sniffing, no referrer.
 */
export const CONSOLE_HEADERS: Record<string, string> = {
  "content-security-policy": [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // CodeMirror and uPlot position elements with style attributes; styles sheets stay 'self' only.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

/** dist/console of the package this module belongs to (from src/ under tsx, from dist/ when built). */
export function consoleDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, "dist", "console");
}

/**
 * The web console (console/, built by scripts/build.mjs into dist/console): static files under /console/,
 * `GET /` and `GET /console` redirect there. Hashed assets are cached for good; index.html never.
 * The console talks to the public API with the user's key; nothing here is behind a key.
 */
export async function consoleRoutes(app: FastifyInstance, dir = consoleDir()): Promise<void> {
  app.addHook("onSend", async (_request, reply) => {
    reply.headers(CONSOLE_HEADERS);
  });
  app.get("/", { schema: { hide: true } }, async (_request, reply) => reply.redirect("/console/"));
  app.get("/console", { schema: { hide: true } }, async (_request, reply) => reply.redirect("/console/"));
  if (!existsSync(path.join(dir, "index.html"))) {
    app.get("/console/*", { schema: { hide: true } }, async () => {
      throw new RunletError("RUNLET_ERR_UNAVAILABLE", "the console is not built: run npm run build");
    });
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/console/",
    index: ["index.html"],
    schemaHide: true,
    cacheControl: false,
    setHeaders(reply, file) {
      const hashed = file.includes(`${path.sep}assets${path.sep}`);
      reply.header("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
}
