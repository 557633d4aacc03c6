// Minimal web-standard Headers, Request and Response for handlers of the http style. Bodies are text
// or bytes held in memory; streaming bodies and the rest of the fetch API come with the runtime-surface
// work (issue 6).

type BodyInit = string | ArrayBuffer | ArrayBufferView | null | undefined;
type HeadersInit = Headers | [string, string][] | Record<string, string>;

export class Headers {
  #map = new Map<string, string>();

  constructor(init?: HeadersInit) {
    if (init instanceof Headers) init.forEach((value, key) => this.append(key, value));
    else if (Array.isArray(init)) for (const [key, value] of init) this.append(key, value);
    else if (init) for (const key of Object.keys(init)) this.append(key, String(init[key]));
  }
  append(name: string, value: string): void {
    const key = String(name).toLowerCase();
    const prev = this.#map.get(key);
    this.#map.set(key, prev === undefined ? String(value) : `${prev}, ${value}`);
  }
  set(name: string, value: string): void {
    this.#map.set(String(name).toLowerCase(), String(value));
  }
  get(name: string): string | null {
    return this.#map.get(String(name).toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#map.has(String(name).toLowerCase());
  }
  delete(name: string): void {
    this.#map.delete(String(name).toLowerCase());
  }
  forEach(fn: (value: string, key: string, headers: Headers) => void): void {
    for (const [key, value] of this.entries()) fn(value, key, this);
  }
  *entries(): IterableIterator<[string, string]> {
    yield* [...this.#map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
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

function utf8Encode(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return new Uint8Array(bytes);
}

function utf8Decode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i++] ?? 0;
    let cp = b;
    if (b >= 0xf0)
      cp = ((b & 7) << 18) | ((bytes[i++]! & 63) << 12) | ((bytes[i++]! & 63) << 6) | (bytes[i++]! & 63);
    else if (b >= 0xe0) cp = ((b & 15) << 12) | ((bytes[i++]! & 63) << 6) | (bytes[i++]! & 63);
    else if (b >= 0xc0) cp = ((b & 31) << 6) | (bytes[i++]! & 63);
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** Normalises a body to text or an ArrayBuffer (what crosses back to the host). */
export function bodyToTransfer(body: BodyInit): string | ArrayBuffer | null {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return body.slice(0);
  if (ArrayBuffer.isView(body)) {
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }
  return String(body);
}

class Body {
  #body: string | ArrayBuffer | null;
  #used = false;
  readonly headers: Headers;

  constructor(body: BodyInit, headers: Headers) {
    this.#body = bodyToTransfer(body);
    this.headers = headers;
    if (typeof this.#body === "string" && !headers.has("content-type")) {
      headers.set("content-type", "text/plain;charset=UTF-8");
    }
  }
  get bodyUsed(): boolean {
    return this.#used;
  }
  /** The raw body for the host; not part of the web API. */
  get _transfer(): string | ArrayBuffer | null {
    return this.#body;
  }
  #consume(): string | ArrayBuffer | null {
    if (this.#used) throw new TypeError("Body has already been used");
    this.#used = true;
    return this.#body;
  }
  async text(): Promise<string> {
    const body = this.#consume();
    if (body === null) return "";
    return typeof body === "string" ? body : utf8Decode(new Uint8Array(body));
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.#consume();
    if (body === null) return new ArrayBuffer(0);
    return typeof body === "string" ? (utf8Encode(body).buffer as ArrayBuffer) : body;
  }
}

interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit;
}

export class Request extends Body {
  readonly method: string;
  readonly url: string;

  constructor(input: string | Request, init: RequestInit = {}) {
    const base = input instanceof Request ? input : undefined;
    super(init.body ?? base?._transfer ?? null, new Headers(init.headers ?? base?.headers));
    this.url = base ? base.url : String(input);
    this.method = (init.method ?? base?.method ?? "GET").toUpperCase();
  }
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

export class Response extends Body {
  readonly status: number;
  readonly statusText: string;

  constructor(body?: BodyInit, init: ResponseInit = {}) {
    super(body, new Headers(init.headers));
    const status = init.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(`Response status must be from 200 to 599, got ${status}`);
    }
    this.status = status;
    this.statusText = init.statusText ?? "";
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  static json(data: unknown, init: ResponseInit = {}): Response {
    const headers = new Headers(init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new Response(JSON.stringify(data), { ...init, headers });
  }
}
