// The fetch API's Headers, Request and Response (Fetch standard), over in-memory bytes or a web
// ReadableStream. Bodies may be strings, bytes, Blob, FormData, URLSearchParams or a ReadableStream.
import { Blob, FormData, decodeMultipart, encodeMultipart } from "./blob.js";
import { crypto } from "./crypto.js";
import { TextDecoder, toBytes, utf8Encode } from "./encoding.js";
import { AbortController, type AbortSignal } from "./events.js";
import { isReadableStream, readAll, streamOf, streams, type ReadableStreamLike } from "./streams.js";
import { isURLSearchParams, searchParamsClass, urlClass, type URL, type URLSearchParams } from "./url.js";

export type BodyInit =
  | string
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | FormData
  | URLSearchParams
  | ReadableStreamLike
  | null
  | undefined;
export type HeadersInit = Headers | Iterable<Iterable<string>> | Record<string, string>;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\0\r\n]/;

function headerName(name: unknown): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Headers: "${text}" is not a valid header name`);
  return text.toLowerCase();
}

function headerValue(value: unknown): string {
  const text = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  if (BAD_VALUE.test(text))
    throw new TypeError(`Headers: the value of a header may not contain NUL, CR or LF`);
  return text;
}

export class Headers {
  #map = new Map<string, string[]>();
  /** "immutable" for the headers of a fetched response. */
  _guard: "none" | "immutable" = "none";

  constructor(init?: HeadersInit) {
    if (init === undefined || init === null) return;
    if (init instanceof Headers) {
      for (const [key, values] of init.#map) this.#map.set(key, [...values]);
    } else if (typeof (init as Iterable<unknown>)[Symbol.iterator] === "function") {
      for (const pair of init as Iterable<Iterable<string>>) {
        const items = [...pair];
        if (items.length !== 2) throw new TypeError("Headers: each header must be a [name, value] pair");
        this.append(items[0]!, items[1]!);
      }
    } else if (typeof init === "object") {
      for (const key of Object.keys(init)) this.append(key, (init as Record<string, string>)[key]!);
    } else throw new TypeError("Headers: the init must be an object or a list of pairs");
  }
  #check(): void {
    if (this._guard === "immutable") throw new TypeError("Headers: these headers are immutable");
  }
  append(name: string, value: string): void {
    this.#check();
    const key = headerName(name);
    const list = this.#map.get(key);
    if (list) list.push(headerValue(value));
    else this.#map.set(key, [headerValue(value)]);
  }
  set(name: string, value: string): void {
    this.#check();
    this.#map.set(headerName(name), [headerValue(value)]);
  }
  get(name: string): string | null {
    return this.#map.get(headerName(name))?.join(", ") ?? null;
  }
  getSetCookie(): string[] {
    return [...(this.#map.get("set-cookie") ?? [])];
  }
  has(name: string): boolean {
    return this.#map.has(headerName(name));
  }
  delete(name: string): void {
    this.#check();
    this.#map.delete(headerName(name));
  }
  forEach(fn: (value: string, key: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }
  *entries(): IterableIterator<[string, string]> {
    const keys = [...this.#map.keys()].sort();
    for (const key of keys) {
      const values = this.#map.get(key);
      if (!values) continue;
      if (key === "set-cookie") for (const value of values) yield [key, value];
      else yield [key, values.join(", ")];
    }
  }
  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** A body: text (kept as a string so it crosses to the host cheaply), bytes, or a stream. */
type Source = { text: string } | { bytes: Uint8Array } | { stream: ReadableStreamLike } | null;

function extract(body: BodyInit, headers: Headers): Source {
  if (body === null || body === undefined) return null;
  const type = (value: string) => {
    if (!headers.has("content-type")) headers.set("content-type", value);
  };
  if (typeof body === "string") {
    type("text/plain;charset=UTF-8");
    return { text: body };
  }
  if (isURLSearchParams(body)) {
    type("application/x-www-form-urlencoded;charset=UTF-8");
    return { text: body.toString() };
  }
  if (body instanceof FormData) {
    const encoded = encodeMultipart(body, () => crypto.randomUUID().replace(/-/g, ""));
    type(encoded.type);
    return { bytes: encoded.bytes };
  }
  if (body instanceof Blob) {
    if (body.type) type(body.type);
    return { bytes: body._bytes };
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body))
    return { bytes: toBytes(body, "the body").slice() };
  if (isReadableStream(body)) return { stream: body };
  type("text/plain;charset=UTF-8");
  return { text: String(body) };
}

class Body {
  #source: Source;
  #stream: ReadableStreamLike | undefined;
  #used = false;
  readonly headers: Headers;

  constructor(body: BodyInit, headers: Headers) {
    this.headers = headers;
    this.#source = extract(body, headers);
    if (this.#source && "stream" in this.#source) this.#stream = this.#source.stream;
  }
  get body(): ReadableStreamLike | null {
    if (this.#source === null) return null;
    if (!this.#stream) {
      const source = this.#source;
      this.#stream = streamOf(
        "text" in source ? utf8Encode(source.text) : "bytes" in source ? source.bytes : new Uint8Array(0),
      );
    }
    return this.#stream;
  }
  get bodyUsed(): boolean {
    return (
      this.#used ||
      (this.#stream !== undefined &&
        (this.#stream as unknown as { _disturbed?: boolean })._disturbed === true)
    );
  }
  /** Internal: whether the body is a stream the function made (it is streamed to the client). */
  get _isStream(): boolean {
    return this.#source !== null && "stream" in this.#source;
  }
  /** Internal: the body as the host takes it (text, bytes or null), without marking it used. */
  _peek(): string | Uint8Array | null {
    const source = this.#source;
    if (source === null) return null;
    if ("text" in source) return source.text;
    if ("bytes" in source) return source.bytes;
    return null;
  }
  /** Internal: the body, consumed (streams are read to their end). */
  async _consume(): Promise<string | Uint8Array | null> {
    if (this.bodyUsed) throw new TypeError("Body has already been used");
    this.#used = true;
    const source = this.#source;
    if (source === null) return null;
    if (this.#stream) {
      if (this.#stream.locked) throw new TypeError("Body is locked by a reader");
      return readAll(this.#stream, utf8Encode);
    }
    return "text" in source ? source.text : "bytes" in source ? source.bytes : null;
  }
  /** Internal: a copy of this body for clone(); a stream is teed. */
  _cloneSource(): BodyInit {
    if (this.bodyUsed) throw new TypeError("clone: the body has already been used");
    const source = this.#source;
    if (source === null) return null;
    if (this.#stream) {
      const [a, b] = this.#stream.tee();
      this.#stream = a;
      this.#source = { stream: a };
      return b;
    }
    return "text" in source ? source.text : "bytes" in source ? source.bytes.slice() : null;
  }
  async text(): Promise<string> {
    const body = await this._consume();
    if (body === null) return "";
    return typeof body === "string" ? body : new TextDecoder().decode(body);
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async bytes(): Promise<Uint8Array> {
    const body = await this._consume();
    if (body === null) return new Uint8Array(0);
    return typeof body === "string" ? utf8Encode(body) : body.slice();
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer as ArrayBuffer;
  }
  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.headers.get("content-type") ?? "" });
  }
  async formData(): Promise<FormData> {
    const type = this.headers.get("content-type") ?? "";
    if (/^multipart\/form-data/i.test(type)) return decodeMultipart(await this.bytes(), type);
    if (/^application\/x-www-form-urlencoded/i.test(type)) {
      const form = new FormData();
      for (const [k, v] of new (searchParamsClass())(await this.text())) form.append(k, v);
      return form;
    }
    throw new TypeError(`formData: the content type "${type}" is neither multipart/form-data nor urlencoded`);
  }
}

const METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]);
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

export interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit;
  signal?: AbortSignal | null;
  redirect?: "follow" | "manual" | "error";
  [key: string]: unknown;
}

let trustedUrl = false;

export class Request extends Body {
  readonly method: string;
  readonly url: string;
  readonly redirect: "follow" | "manual" | "error";
  readonly signal: AbortSignal;

  constructor(input: string | URL | Request, init: RequestInit = {}) {
    const base = input instanceof Request ? input : undefined;
    let method = String(init.method ?? base?.method ?? "GET");
    if (!TOKEN.test(method)) throw new TypeError(`Request: "${method}" is not a valid method`);
    const upper = method.toUpperCase();
    if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`Request: the method ${upper} is not allowed`);
    if (METHODS.has(upper)) method = upper;
    const body = init.body !== undefined ? init.body : base ? base._cloneSource() : null;
    if ((method === "GET" || method === "HEAD") && body !== null && body !== undefined) {
      throw new TypeError(`Request: a ${method} request cannot have a body`);
    }
    super(body, new Headers(init.headers ?? base?.headers));
    this.method = method;
    if (base) this.url = base.url;
    else if (trustedUrl) this.url = String(input);
    else {
      const url = urlClass().parse(String(input));
      if (!url) throw new TypeError(`Request: invalid URL "${String(input)}" (fetch needs an absolute URL)`);
      this.url = url.href;
    }
    const redirect = init.redirect ?? base?.redirect ?? "follow";
    if (redirect !== "follow" && redirect !== "manual" && redirect !== "error") {
      throw new TypeError(`Request: redirect must be "follow", "manual" or "error"`);
    }
    this.redirect = redirect;
    const signal = init.signal !== undefined ? init.signal : base?.signal;
    const controller = new AbortController();
    if (signal) {
      if (signal.aborted) controller.abort(signal.reason);
      else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
    }
    this.signal = controller.signal;
  }
  clone(): Request {
    return new Request(this);
  }
}

/** A Request for a URL the host already parsed (the incoming request): skips re-parsing it. */
export function trustedRequest(url: string, init: RequestInit): Request {
  trustedUrl = true;
  try {
    return new Request(url, init);
  } finally {
    trustedUrl = false;
  }
}

export interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class Response extends Body {
  readonly status: number;
  readonly statusText: string;
  #type: "default" | "basic" | "error" = "default";
  #url = "";
  #redirected = false;

  constructor(body?: BodyInit, init: ResponseInit = {}) {
    const status = init.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(`Response: status must be from 200 to 599, got ${String(status)}`);
    }
    if (body !== null && body !== undefined && NULL_BODY.has(status)) {
      throw new TypeError(`Response: a ${status} response cannot have a body`);
    }
    super(body, new Headers(init.headers));
    this.status = status;
    this.statusText = String(init.statusText ?? "");
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get type(): string {
    return this.#type;
  }
  get url(): string {
    return this.#url;
  }
  get redirected(): boolean {
    return this.#redirected;
  }
  /** Internal: set what fetch knows about a fetched response. */
  _fetched(url: string, redirected: boolean): this {
    this.#type = "basic";
    this.#url = url;
    this.#redirected = redirected;
    this.headers._guard = "immutable";
    return this;
  }
  clone(): Response {
    const copy = new Response(this._cloneSource(), {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
    if (this.#type === "basic") copy._fetched(this.#url, this.#redirected);
    return copy;
  }
  static json(data: unknown, init: ResponseInit = {}): Response {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Response.json: the data is not JSON-serialisable");
    const headers = new Headers(init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new Response(text, { ...init, headers });
  }
  static redirect(url: string | URL, status = 302): Response {
    if (!REDIRECTS.has(status)) throw new RangeError(`Response.redirect: ${status} is not a redirect status`);
    const parsed = urlClass().parse(String(url));
    if (!parsed) throw new TypeError(`Response.redirect: invalid URL "${String(url)}"`);
    return new Response(null, { status, headers: { location: parsed.href } });
  }
  static error(): Response {
    const response = new Response(null, { status: 200 });
    response.#type = "error";
    (response as { status: number }).status = 0;
    return response;
  }
}

export { streams };
