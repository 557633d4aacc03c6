import type { IncomingMessage, ServerResponse } from "node:http";
import { handleInvoke, type InvokeDeps } from "./invoke-handler.js";
import { prefersAsync } from "./invoke-async.js";

const INVOKE = /^\/v1\/accounts\/([a-z][a-z0-9-]{0,62})\/functions\/([a-z][a-z0-9-]{0,62})\/invoke$/;
const ASYNC_QUERY = "?async=true";

/**
 * The hot path (DESIGN §3): a plain invoke — POST, JSON or no body, no query string but `?async=true` — is
 * served straight from node:http, skipping Fastify's routing, hooks and reply machinery, by the same
 * handleInvoke the Fastify route calls (test/api compares their answers); anything else falls through.
 */
export function fastInvoke(deps: InvokeDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== "POST") return false;
    let url = req.url ?? "";
    let async = false;
    if (url.endsWith(ASYNC_QUERY)) {
      url = url.slice(0, -ASYNC_QUERY.length);
      async = true;
    }
    if (req.headers.prefer !== undefined) {
      if (!prefersAsync(req.headers)) return false;
      async = true;
    }
    const match = INVOKE.exec(url);
    const type = req.headers["content-type"];
    if (!match || (type !== undefined && !/^application\/json\s*(;|$)/i.test(type))) return false;
    const call = { account: match[1]!, name: match[2]!, url: req.url ?? "", headers: req.headers, async };
    void handleInvoke(deps, { ...call, body: req }).then(({ status, headers, body }) => {
      if (res.headersSent) return;
      // As Fastify sends it: with its length, not chunked.
      res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
    return true;
  };
}
