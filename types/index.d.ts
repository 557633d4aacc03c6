// Types for Runlet function authors: `import type { Handler, Event, Context } from "runlet"`.
// The web-standard globals inside the isolate (fetch, Request, Response, URL, crypto, …) are the ones
// TypeScript's "WebWorker" lib describes: put "lib": ["ES2022", "WebWorker"] in tsconfig.json (the
// templates of `runlet init` do).

/** The JSON values a function receives and may return. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What an event-style handler receives (DESIGN §2): the payload with the invocation's metadata. */
export interface Event<Payload = Json> {
  /** The activation id (or the CloudEvent id for events published to the function). */
  id: string;
  /** e.g. "runlet.api", "runlet.web", "runlet.schedule" or a published event's type. */
  type: string;
  source: string;
  /** ISO 8601. */
  time: string;
  payload: Payload;
  /** Request headers (lower-case names). */
  headers: Record<string, string>;
}

export interface InvokeOptions {
  /** Queue the child and resolve with `{ activationId }` at once. */
  async?: boolean;
  /** At most the caller's remaining time. */
  timeoutMs?: number;
  /** Attempts after the first, for async children. */
  retries?: number;
}

export interface KvListResult {
  keys: string[];
  next?: string;
}

/** Key–value storage of the function's account. Values are JSON. */
export interface KvNamespace {
  get<T = Json>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(options?: { prefix?: string; limit?: number; cursor?: string }): Promise<KvListResult>;
}

export interface Logger {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  trace(...args: unknown[]): void;
}

/** The second argument of every handler. */
export interface Context<Env extends Record<string, string> = Record<string, string>> {
  activationId: string;
  /** Epoch milliseconds by which the invocation must end. */
  deadline: number;
  account: string;
  function: { readonly name: string; readonly version: number };
  /** The function's variables (`env` in runlet.json). */
  env: Readonly<Env>;
  log(...args: unknown[]): void;
  console: Logger;
  secrets: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string): Promise<void>;
  };
  kv: KvNamespace & { namespace(name: string): KvNamespace };
  /** Invokes another function of the account: its result, or `{ activationId }` with `async: true`. */
  invoke<T = Json>(name: string, payload?: unknown, options?: InvokeOptions): Promise<T>;
  /** The global fetch, attributed to this invocation (the account's outbound allowlist applies). */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

/** An event-style function: `export default async function (event, ctx) { return result }`. */
export type Handler<
  Payload = Json,
  Result = unknown,
  Env extends Record<string, string> = Record<string, string>,
> = (event: Event<Payload>, ctx: Context<Env>) => Result | Promise<Result>;

/**
 * An http-style function: `export default { fetch(request, env, ctx) { return new Response(…) } }`.
 * A Response whose body is a ReadableStream is streamed to the client. `event` (optional) answers
 * invocations that are not web requests.
 */
export interface HttpHandler<Env extends Record<string, string> = Record<string, string>> {
  fetch(request: Request, env: Readonly<Env>, ctx: Context<Env>): Response | Promise<Response>;
  event?: Handler<Json, unknown, Env>;
}

/** The input of a classic-style function: `function lambda(input, callback)`. */
export interface ClassicInput<Payload = Json> {
  /** Epoch milliseconds. */
  timestamp: number;
  headers: { key: string; value: string }[];
  payload: Payload;
}

export type ClassicCallback<Result = unknown> = (error: Error | string | null, result?: Result) => void;

export type ClassicHandler<Payload = Json, Result = unknown> = (
  input: ClassicInput<Payload>,
  callback: ClassicCallback<Result>,
) => void;
