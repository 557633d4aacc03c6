// `Toolbelt.HTTPClient()`: the first generation's request-promise interface over the allowlisted fetch.
// A host that is not on the allowlist answers 403, as the hosted platform's proxy did.
import { runletContext } from "./runlet-context.js";

export interface RequestOptions {
  uri?: string;
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  qs?: Record<string, string | number | boolean>;
  body?: unknown;
  form?: Record<string, string>;
  /** Send and parse JSON. */
  json?: boolean;
  /** Reject on a status outside 2xx (default true). */
  simple?: boolean;
  /** Resolve with {statusCode, headers, body} instead of the body. */
  resolveWithFullResponse?: boolean;
  timeout?: number;
}

export interface FullResponse {
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string>;
  body: unknown;
}

/** request-promise's rejection for a status outside 2xx (with `simple`). */
export class StatusCodeError extends Error {
  override name = "StatusCodeError";
  constructor(
    readonly statusCode: number,
    readonly error: unknown,
    readonly response: FullResponse,
  ) {
    super(`${statusCode} - ${typeof error === "string" ? error : JSON.stringify(error)}`);
  }
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await runletContext().fetch(url, init);
  } catch (err) {
    if ((err as { code?: string }).code === "RUNLET_ERR_FETCH_BLOCKED") {
      return new Response((err as Error).message, { status: 403, statusText: "Forbidden" });
    }
    throw err;
  }
}

export async function request(
  uriOrOptions: string | RequestOptions,
  more: RequestOptions = {},
): Promise<unknown> {
  const options =
    typeof uriOrOptions === "string" ? { ...more, uri: uriOrOptions } : { ...uriOrOptions, ...more };
  const target = new URL(String(options.uri ?? options.url));
  for (const [k, v] of Object.entries(options.qs ?? {})) target.searchParams.append(k, String(v));
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else if (options.body !== undefined) {
    body =
      options.json && typeof options.body !== "string" ? JSON.stringify(options.body) : String(options.body);
    if (options.json) headers["content-type"] ??= "application/json";
  }
  if (options.json) headers.accept ??= "application/json";
  const signal = options.timeout ? AbortSignal.timeout(options.timeout) : undefined;
  const res = await send(target.href, {
    method: options.method ?? "GET",
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  if (options.json && text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const full: FullResponse = {
    statusCode: res.status,
    statusMessage: res.statusText,
    headers: Object.fromEntries(res.headers),
    body: parsed,
  };
  if ((options.simple ?? true) && (res.status < 200 || res.status > 299))
    throw new StatusCodeError(res.status, parsed, full);
  return options.resolveWithFullResponse ? full : parsed;
}
