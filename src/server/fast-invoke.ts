import type { IncomingMessage, ServerResponse } from "node:http";
import { RunletError } from "../errors.js";
import type { Platform } from "../platform.js";
import { INVALID_JSON, JSON_ONLY, toRunletError } from "./errors.js";
import { incomingTrace } from "../telemetry/traceparent.js";
import { forwardedHeaders } from "./forwarded-headers.js";
import { checkAccess } from "./guard.js";
import { writeInvokeResult } from "./reply.js";
import { checkAsyncLength, prefersAsync, submitAsync } from "./routes/invoke-async.js";

const INVOKE = /^\/v1\/accounts\/([a-z][a-z0-9-]{0,62})\/functions\/([a-z][a-z0-9-]{0,62})\/invoke$/;
const ASYNC_QUERY = "?async=true";

/**
 * The hot path (DESIGN §3): a plain invoke — POST, JSON or no body, no query string but `?async=true` — is served
 * straight from node:http, skipping Fastify's routing, hooks and reply machinery. It gives exactly the
 * answers the Fastify route gives (test/api runs against both); anything else falls through to Fastify.
 */
export function fastInvoke(platform: Platform): (req: IncomingMessage, res: ServerResponse) => boolean {
  const limit = platform.config.limits.syncPayloadBytes;
  return (req, res) => {
    if (req.method !== "POST") return false;
    // Async invokes (?async=true, Prefer: respond-async) take this path too: queueing is as hot.
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
    void serve(platform, req, res, match[1]!, match[2]!, limit, async);
    return true;
  };
}

async function serve(
  platform: Platform,
  req: IncomingMessage,
  res: ServerResponse,
  account: string,
  name: string,
  limit: number,
  async = false,
): Promise<void> {
  try {
    await checkAccess(platform, req.headers.authorization, account, "invoker");
    if (async) checkAsyncLength(platform, req.headers);
    const body = await readBody(req, limit);
    let payload: unknown = null;
    if (body.length > 0) {
      platform.quotas.checkPayload(account, Buffer.byteLength(body));
      if (req.headers["content-type"] === undefined) {
        throw new RunletError("RUNLET_ERR_INVALID_JSON", JSON_ONLY);
      }
      try {
        payload = JSON.parse(body);
      } catch {
        throw new RunletError("RUNLET_ERR_INVALID_JSON", INVALID_JSON);
      }
    }
    if (async) {
      const answer = await submitAsync(platform, account, name, payload, req.headers);
      res.writeHead(202, answer.headers);
      res.end(answer.body);
      return;
    }
    const result = await platform.dispatcher.invoke({
      account,
      function: name,
      trigger: "http",
      payload,
      headers: forwardedHeaders(req.headers),
      ...incomingTrace(req.headers.traceparent),
    });
    writeInvokeResult(res, result);
  } catch (err) {
    const error = toRunletError(err);
    if (error.status >= 500) platform.log.error({ err, url: req.url }, "request failed");
    if (!res.headersSent) {
      res.writeHead(error.status, { ...error.headers, "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(error.toBody()));
    }
    if (!req.complete) req.resume();
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

function tooLarge(limit: number): RunletError {
  return new RunletError(
    "RUNLET_ERR_PAYLOAD_TOO_LARGE",
    `the body is over the ${limit}-byte limit for a sync invocation; send less`,
  );
}
