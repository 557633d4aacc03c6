// Blob, File and FormData (bytes held in memory), with FormData's multipart/form-data encoding and
// parsing for Request/Response bodies.
import { TextDecoder, utf8Encode } from "./encoding.js";
import { streamOf, type ReadableStreamLike } from "./streams.js";

type BlobPart = string | ArrayBuffer | ArrayBufferView | Blob;

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

export class Blob {
  readonly #bytes: Uint8Array;
  readonly #type: string;

  constructor(parts: Iterable<BlobPart> = [], options: { type?: string } = {}) {
    const chunks: Uint8Array[] = [];
    for (const part of parts) {
      if (part instanceof Blob) chunks.push(part.#bytes);
      else if (part instanceof ArrayBuffer) chunks.push(new Uint8Array(part.slice(0)));
      else if (ArrayBuffer.isView(part))
        chunks.push(new Uint8Array(part.buffer, part.byteOffset, part.byteLength).slice());
      else chunks.push(utf8Encode(String(part)));
    }
    this.#bytes = concat(chunks);
    const type = String(options.type ?? "");
    this.#type = /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : "";
  }
  get size(): number {
    return this.#bytes.byteLength;
  }
  get type(): string {
    return this.#type;
  }
  slice(start = 0, end = this.size, type = ""): Blob {
    const size = this.size;
    const from = start < 0 ? Math.max(size + start, 0) : Math.min(start, size);
    const to = end < 0 ? Math.max(size + end, 0) : Math.min(end, size);
    return new Blob([this.#bytes.subarray(from, Math.max(from, to))], { type });
  }
  async text(): Promise<string> {
    return new TextDecoder().decode(this.#bytes);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#bytes.slice().buffer;
  }
  async bytes(): Promise<Uint8Array> {
    return this.#bytes.slice();
  }
  stream(): ReadableStreamLike {
    return streamOf(this.#bytes.slice());
  }
  /** Internal: the bytes, not copied. */
  get _bytes(): Uint8Array {
    return this.#bytes;
  }
  _cloneForStructuredClone(): Blob {
    return new Blob([this.#bytes], { type: this.#type });
  }
  get [Symbol.toStringTag](): string {
    return "Blob";
  }
}

export class File extends Blob {
  readonly name: string;
  readonly lastModified: number;
  constructor(
    parts: Iterable<BlobPart>,
    name: string,
    options: { type?: string; lastModified?: number } = {},
  ) {
    super(parts, options);
    this.name = String(name);
    this.lastModified = options.lastModified ?? Date.now();
  }
  override get [Symbol.toStringTag](): string {
    return "File";
  }
}

type Entry = [string, string | File];

function entryOf(name: string, value: unknown, filename?: string): Entry {
  if (value instanceof Blob) {
    const file =
      value instanceof File && filename === undefined
        ? value
        : new File([value], filename ?? (value instanceof File ? value.name : "blob"), { type: value.type });
    return [String(name), file];
  }
  return [String(name), String(value)];
}

export class FormData {
  #entries: Entry[] = [];

  constructor(form?: unknown) {
    if (form !== undefined) throw new TypeError("FormData: there is no HTML form element here");
  }
  append(name: string, value: unknown, filename?: string): void {
    this.#entries.push(entryOf(name, value, filename));
  }
  set(name: string, value: unknown, filename?: string): void {
    const entry = entryOf(name, value, filename);
    const index = this.#entries.findIndex(([k]) => k === entry[0]);
    if (index < 0) this.#entries.push(entry);
    else {
      this.#entries[index] = entry;
      this.#entries = this.#entries.filter(([k], i) => k !== entry[0] || i === index);
    }
  }
  delete(name: string): void {
    this.#entries = this.#entries.filter(([k]) => k !== String(name));
  }
  get(name: string): string | File | null {
    return this.#entries.find(([k]) => k === String(name))?.[1] ?? null;
  }
  getAll(name: string): (string | File)[] {
    return this.#entries.filter(([k]) => k === String(name)).map(([, v]) => v);
  }
  has(name: string): boolean {
    return this.#entries.some(([k]) => k === String(name));
  }
  forEach(fn: (value: string | File, key: string, form: FormData) => void, thisArg?: unknown): void {
    for (const [k, v] of [...this.#entries]) fn.call(thisArg, v, k, this);
  }
  *entries(): IterableIterator<Entry> {
    for (const [k, v] of this.#entries) yield [k, v];
  }
  *keys(): IterableIterator<string> {
    for (const [k] of this.#entries) yield k;
  }
  *values(): IterableIterator<string | File> {
    for (const [, v] of this.#entries) yield v;
  }
  [Symbol.iterator](): IterableIterator<Entry> {
    return this.entries();
  }
}

const escapeName = (name: string) => name.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");

/** multipart/form-data encoding of a FormData: the bytes and the content type with its boundary. */
export function encodeMultipart(form: FormData, random: () => string): { bytes: Uint8Array; type: string } {
  const boundary = `----RunletFormBoundary${random()}`;
  const chunks: Uint8Array[] = [];
  for (const [name, value] of form) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
    if (typeof value === "string") {
      chunks.push(utf8Encode(`${head}\r\n\r\n${value.replace(/\r(?!\n)|(?<!\r)\n/g, "\r\n")}\r\n`));
    } else {
      head += `; filename="${escapeName(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`;
      chunks.push(utf8Encode(head), value._bytes, utf8Encode("\r\n"));
    }
  }
  chunks.push(utf8Encode(`--${boundary}--\r\n`));
  return { bytes: concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Parses a multipart/form-data body; throws TypeError when it is malformed. */
export function decodeMultipart(bytes: Uint8Array, contentType: string): FormData {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new TypeError("formData: the multipart body has no boundary");
  const delimiter = utf8Encode(`--${boundary}`);
  const form = new FormData();
  const decoder = new TextDecoder();
  let at = indexOf(bytes, delimiter, 0);
  if (at < 0) throw new TypeError("formData: the multipart body is malformed");
  for (;;) {
    at += delimiter.length;
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) break; // closing delimiter
    at += 2; // CRLF
    const next = indexOf(bytes, delimiter, at);
    if (next < 0) throw new TypeError("formData: the multipart body is not terminated");
    const part = bytes.subarray(at, next - 2);
    const split = indexOf(part, utf8Encode("\r\n\r\n"), 0);
    if (split < 0) throw new TypeError("formData: a multipart part has no headers");
    const headers = decoder.decode(part.subarray(0, split));
    const body = part.subarray(split + 4);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new TypeError("formData: a multipart part has no name");
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename === undefined) form.append(name, decoder.decode(body));
    else {
      const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1] ?? "";
      form.append(name, new File([body], filename, { type }));
    }
    at = next;
  }
  return form;
}
