import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { Limits } from "../../config.js";
import { HostCallError, type Caller, type HostOps } from "../../runtime/host-ops.js";
import { childTraceparent } from "../../telemetry/traceparent.js";
import { AddressGuard, AddressRefused, type OutboundOptions } from "./address-guard.js";
import { allowingEntry, type Allowlists } from "./allowlist.js";
import { BodyTooLarge, readBody, sendPinned } from "./http-request.js";
import { FetchCounters } from "./limits.js";

/** What the sandbox's fetch sends (see src/runtime/sandbox/context.ts and the host-call seam). */
export interface FetchArgs {
  url: string;
  method: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
  redirect: "follow" | "manual" | "error";
}

export interface FetchAnswer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
  url: string;
  redirected: boolean;
}

type OutboundLimits = Pick<
  Limits,
  "fetchPerInvocation" | "fetchPerSecond" | "fetchResponseBytes" | "fetchTimeoutMs" | "fetchRedirects"
>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Set by the host for each hop; a function may not choose them.
const HOST_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
  "accept-encoding",
]);
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const blocked = (message: string) => new HostCallError("RUNLET_ERR_FETCH_BLOCKED", message, "TypeError");
const failed = (message: string) => new HostCallError("RUNLET_ERR_FETCH_FAILED", message, "TypeError");
const limited = (message: string) => new HostCallError("RUNLET_ERR_FETCH_LIMIT", message, "TypeError");

/**
 * Outbound HTTP for functions (the host side of `fetch`): the account's allowlist, the address guard on
 * every hop (resolve first, connect to that address), redirects followed here so each is checked, and
 * limits on count, rate, size and time. Every refusal fails the function's fetch with a TypeError whose
 * `code` says which rule, and is written to the activation's log.
 */
export class OutboundFetch {
  readonly #guard: AddressGuard;
  readonly #tls: { ca?: string };
  readonly #counters = new FetchCounters();

  constructor(
    private readonly limits: OutboundLimits,
    private readonly allowlists: Allowlists,
    options: OutboundOptions = {},
  ) {
    this.#guard = new AddressGuard(options);
    this.#tls = options.ca ? { ca: options.ca } : {};
  }

  async fetch(caller: Caller, args: unknown): Promise<FetchAnswer> {
    try {
      return await this.#fetch(caller, parseArgs(args));
    } catch (err) {
      const error = err instanceof HostCallError ? err : failed(`fetch failed: ${(err as Error).message}`);
      caller.log("error", `fetch: ${error.message} [${error.code}]`);
      throw error;
    }
  }

  async #fetch(caller: Caller, args: FetchArgs): Promise<FetchAnswer> {
    const { limits } = this;
    let url = parseUrl(args.url);
    if (!this.#counters.takeInvocation(caller.activationId, caller.deadline, limits.fetchPerInvocation)) {
      throw limited(
        `fetch to ${url.host} refused: an invocation may make at most ${limits.fetchPerInvocation} requests`,
      );
    }
    if (!this.#counters.takeSecond(`${caller.account}/${caller.function}`, limits.fetchPerSecond)) {
      throw limited(
        `fetch to ${url.host} refused: a function may make at most ${limits.fetchPerSecond} requests per second`,
      );
    }
    const timeoutMs = Math.min(limits.fetchTimeoutMs, caller.deadline - Date.now());
    if (timeoutMs <= 0) throw failed(`fetch to ${url.host} not sent: the invocation has no time left`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const domains = await this.allowlists.get(caller.account);

    let method = args.method.toUpperCase();
    let body = args.body === null ? null : Buffer.from(args.body);
    const headers = requestHeaders(args.headers, caller);
    try {
      for (let hop = 0; ; hop++) {
        const pinned = await this.#approve(url, domains);
        let res: IncomingMessage;
        try {
          res = await sendPinned(
            { url, method, headers, body, signal: controller.signal },
            pinned,
            this.#tls,
          );
        } catch (err) {
          throw this.#networkError(err, url, controller, timeoutMs);
        }
        const location = res.headers.location;
        if (!REDIRECTS.has(res.statusCode ?? 0) || location === undefined || args.redirect === "manual") {
          return await this.#answer(res, url, hop > 0, controller, timeoutMs);
        }
        res.destroy();
        if (args.redirect === "error") {
          throw failed(`fetch to ${url.host} was redirected (${res.statusCode}) and redirect is "error"`);
        }
        if (hop >= limits.fetchRedirects) {
          throw limited(`fetch to ${url.host} refused: more than ${limits.fetchRedirects} redirects`);
        }
        const next = parseUrl(location, url);
        if (next.origin !== url.origin) {
          delete headers.authorization;
          delete headers.cookie;
        }
        if (
          res.statusCode === 303
            ? method !== "HEAD"
            : (res.statusCode === 301 || res.statusCode === 302) && method === "POST"
        ) {
          method = "GET";
          body = null;
          delete headers["content-type"];
        }
        url = next;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Allowlist, then the address guard; answers the address to connect to. */
  async #approve(url: URL, domains: readonly string[]) {
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    try {
      // An IP literal is judged by its address first, so the error names the real reason.
      if (isIP(host)) this.#guard.check(host, host);
      if (allowingEntry(host, domains) === undefined) {
        throw blocked(
          `fetch to ${host} refused: ${host} is not on the account's allowlist` +
            (domains.length ? ` (${domains.join(", ")})` : " (it is empty)") +
            "; add it with PUT /v1/accounts/{acct}/allowlist or runlet allowlist add",
        );
      }
      return await this.#guard.resolve(host);
    } catch (err) {
      if (err instanceof AddressRefused) throw blocked(`fetch to ${url.host} refused: ${err.message}`);
      if (err instanceof HostCallError) throw err;
      throw failed(
        `fetch to ${url.host} failed: cannot resolve ${host} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  }

  async #answer(
    res: IncomingMessage,
    url: URL,
    redirected: boolean,
    controller: AbortController,
    timeoutMs: number,
  ): Promise<FetchAnswer> {
    let read: Awaited<ReturnType<typeof readBody>>;
    try {
      read = await readBody(res, this.limits.fetchResponseBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        throw limited(`fetch to ${url.host}: ${err.message}, the limit for a function's outbound response`);
      }
      throw this.#networkError(err, url, controller, timeoutMs);
    }
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
      const name = res.rawHeaders[i]!.toLowerCase();
      if (read.decoded && (name === "content-encoding" || name === "content-length")) continue;
      headers.push([name, res.rawHeaders[i + 1]!]);
    }
    const { buffer, byteOffset, byteLength } = read.body;
    return {
      status: res.statusCode ?? 0,
      statusText: res.statusMessage ?? "",
      headers,
      body: buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer,
      url: url.href,
      redirected,
    };
  }

  #networkError(err: unknown, url: URL, controller: AbortController, timeoutMs: number): HostCallError {
    if (controller.signal.aborted) {
      return failed(
        `fetch to ${url.host} timed out after ${timeoutMs} ms (the outbound limit or the invocation's deadline)`,
      );
    }
    const code = (err as NodeJS.ErrnoException).code;
    return failed(`fetch to ${url.host} failed: ${code ? `${code} ` : ""}${(err as Error).message}`.trim());
  }
}

function parseArgs(args: unknown): FetchArgs {
  const a = (args ?? {}) as Partial<FetchArgs>;
  if (typeof a.url !== "string") throw failed("fetch needs a URL string");
  const method = typeof a.method === "string" ? a.method : "GET";
  if (!METHOD.test(method))
    throw failed(`fetch: ${JSON.stringify(method.slice(0, 40))} is not a valid HTTP method`);
  const headers = Array.isArray(a.headers)
    ? a.headers.filter(
        (h): h is [string, string] =>
          Array.isArray(h) && typeof h[0] === "string" && typeof h[1] === "string",
      )
    : [];
  const body = a.body instanceof ArrayBuffer ? a.body : null;
  const redirect = a.redirect === "manual" || a.redirect === "error" ? a.redirect : "follow";
  return { url: a.url, method, headers, body, redirect };
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw failed(`fetch: ${JSON.stringify(text.slice(0, 200))} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw blocked(`fetch to ${url.href.slice(0, 200)} refused: only http: and https: URLs may be fetched`);
  }
  if (url.username || url.password) {
    throw blocked(
      `fetch to ${url.host} refused: URLs with credentials are not allowed; send an Authorization header`,
    );
  }
  return url;
}

function requestHeaders(pairs: [string, string][], caller: Caller): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [rawName, value] of pairs) {
    const name = rawName.toLowerCase();
    if (HOST_HEADERS.has(name) || name.startsWith("proxy-")) continue;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  headers["accept-encoding"] = "gzip, deflate, br";
  headers["user-agent"] ??= "Runlet";
  // W3C trace context: the outbound call is a new span of the invocation's trace (unless the function set one).
  headers.traceparent ??= childTraceparent(caller.traceparent, caller.activationId);
  return headers;
}

/** Registers the host side of `fetch` (and so of `ctx.fetch`). */
export function registerFetchOp(ops: HostOps, outbound: OutboundFetch, maxBody: number): void {
  ops.register("fetch", (caller, args) => outbound.fetch(caller, args), {
    field: "body",
    max: maxBody,
    unit: "bytes",
    what: "fetch: the request body",
    errorName: "TypeError",
  });
}
