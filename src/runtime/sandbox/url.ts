// URL and URLSearchParams. Parsing and serialising are the host's (whatwg-url, the standard's reference implementation), reached
// through the synchronous bridge with strings in and strings out; this file only keeps the state.
import { hostSync } from "./bridge.js";
import { URL_PARTS } from "./url-parts.js";

const PARTS = URL_PARTS;
type Part = (typeof PARTS)[number];
type Parts = Record<Part, string>;

/** String → USVString: lone surrogates become U+FFFD. */
export function usv(value: unknown): string {
  return String(value).replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
}

function decode(json: unknown): Parts | null {
  if (typeof json !== "string") return null;
  const values = JSON.parse(json) as string[];
  const parts = {} as Parts;
  PARTS.forEach((part, i) => (parts[part] = values[i] ?? ""));
  return parts;
}

function parse(input: unknown, base?: unknown): Parts | null {
  return decode(hostSync("url.parse", usv(input), base === undefined ? undefined : usv(base)));
}

export class URL {
  #parts: Parts;
  #query: URLSearchParams | undefined;

  constructor(url: unknown, base?: unknown) {
    if (arguments.length === 0) throw new TypeError("URL: 1 argument required");
    const parts = parse(url, base);
    if (!parts)
      throw new TypeError(
        `Invalid URL: ${String(url)}${base === undefined ? "" : ` (base ${String(base)})`}`,
      );
    this.#parts = parts;
  }
  static canParse(url: unknown, base?: unknown): boolean {
    return parse(url, base) !== null;
  }
  static parse(url: unknown, base?: unknown): URL | null {
    try {
      return new URL(url, base);
    } catch {
      return null;
    }
  }

  #set(part: Exclude<Part, "origin" | "href">, value: unknown): void {
    const parts = decode(hostSync("url.set", this.#parts.href, part, usv(value)));
    if (parts) this.#parts = parts;
    if (part === "search") this.#query?._reset(this.#parts.search);
  }

  get href(): string {
    return this.#parts.href;
  }
  set href(value: string) {
    const parts = parse(value);
    if (!parts) throw new TypeError(`Invalid URL: ${String(value)}`);
    this.#parts = parts;
    this.#query?._reset(parts.search);
  }
  get origin(): string {
    return this.#parts.origin;
  }
  get protocol(): string {
    return this.#parts.protocol;
  }
  set protocol(value: string) {
    this.#set("protocol", value);
  }
  get username(): string {
    return this.#parts.username;
  }
  set username(value: string) {
    this.#set("username", value);
  }
  get password(): string {
    return this.#parts.password;
  }
  set password(value: string) {
    this.#set("password", value);
  }
  get host(): string {
    return this.#parts.host;
  }
  set host(value: string) {
    this.#set("host", value);
  }
  get hostname(): string {
    return this.#parts.hostname;
  }
  set hostname(value: string) {
    this.#set("hostname", value);
  }
  get port(): string {
    return this.#parts.port;
  }
  set port(value: string) {
    this.#set("port", value);
  }
  get pathname(): string {
    return this.#parts.pathname;
  }
  set pathname(value: string) {
    this.#set("pathname", value);
  }
  get search(): string {
    return this.#parts.search;
  }
  set search(value: string) {
    this.#set("search", value);
  }
  get hash(): string {
    return this.#parts.hash;
  }
  set hash(value: string) {
    this.#set("hash", value);
  }
  get searchParams(): URLSearchParams {
    if (!this.#query) {
      this.#query = new URLSearchParams(this.#parts.search);
      this.#query._link((query) => this.#set("search", query));
    }
    return this.#query;
  }
  toString(): string {
    return this.#parts.href;
  }
  toJSON(): string {
    return this.#parts.href;
  }
}

type Init = string | URLSearchParams | Iterable<Iterable<unknown>> | Record<string, unknown>;

function parseQuery(query: string): [string, string][] {
  if (query === "") return [];
  return JSON.parse(hostSync("form.parse", query) as string) as [string, string][];
}

export class URLSearchParams {
  #list: [string, string][] = [];
  #onChange: ((query: string) => void) | undefined;

  constructor(init: Init = "") {
    if (init instanceof URLSearchParams) {
      this.#list = init.#list.map(([k, v]) => [k, v]);
    } else if (typeof init === "object" && init !== null) {
      if (typeof (init as Iterable<unknown>)[Symbol.iterator] === "function") {
        for (const pair of init as Iterable<Iterable<unknown>>) {
          const items = [...pair];
          if (items.length !== 2)
            throw new TypeError("URLSearchParams: each pair must have exactly two items");
          this.#list.push([usv(items[0]), usv(items[1])]);
        }
      } else {
        for (const key of Object.keys(init))
          this.#list.push([usv(key), usv((init as Record<string, unknown>)[key])]);
      }
    } else {
      const text = usv(init);
      this.#list = parseQuery(text.startsWith("?") ? text.slice(1) : text);
    }
  }
  /** Internal: tie these params to a URL's query. */
  _link(onChange: (query: string) => void): void {
    this.#onChange = onChange;
  }
  /** Internal: the URL's query changed. */
  _reset(search: string): void {
    this.#list = parseQuery(search.startsWith("?") ? search.slice(1) : search);
  }
  #changed(): void {
    this.#onChange?.(this.toString());
  }
  get size(): number {
    return this.#list.length;
  }
  append(name: string, value: string): void {
    this.#list.push([usv(name), usv(value)]);
    this.#changed();
  }
  delete(name: string, value?: string): void {
    const key = usv(name);
    const only = value === undefined ? undefined : usv(value);
    this.#list = this.#list.filter(([k, v]) => k !== key || (only !== undefined && v !== only));
    this.#changed();
  }
  get(name: string): string | null {
    const key = usv(name);
    return this.#list.find(([k]) => k === key)?.[1] ?? null;
  }
  getAll(name: string): string[] {
    const key = usv(name);
    return this.#list.filter(([k]) => k === key).map(([, v]) => v);
  }
  has(name: string, value?: string): boolean {
    const key = usv(name);
    const only = value === undefined ? undefined : usv(value);
    return this.#list.some(([k, v]) => k === key && (only === undefined || v === only));
  }
  set(name: string, value: string): void {
    const key = usv(name);
    const index = this.#list.findIndex(([k]) => k === key);
    if (index < 0) this.#list.push([key, usv(value)]);
    else {
      this.#list[index] = [key, usv(value)];
      this.#list = this.#list.filter(([k], i) => k !== key || i === index);
    }
    this.#changed();
  }
  sort(): void {
    // Stable sort by UTF-16 code units (Array.prototype.sort is stable).
    this.#list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.#changed();
  }
  forEach(fn: (value: string, key: string, params: URLSearchParams) => void, thisArg?: unknown): void {
    for (const [k, v] of [...this.#list]) fn.call(thisArg, v, k, this);
  }
  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.#list.length; i++) yield [this.#list[i]![0], this.#list[i]![1]];
  }
  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  toString(): string {
    if (this.#list.length === 0) return "";
    return hostSync("form.serialize", JSON.stringify(this.#list)) as string;
  }
}
