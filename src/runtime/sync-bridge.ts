// The one synchronous binding an isolate has: a few pure computations the host does better than a
// polyfill in every isolate would: URL parsing (whatwg-url, the URL Standard's reference implementation,
// which passes the current WPT data where node's own parser lags the spec by a few cases), the CSPRNG and
// hashes. Plain data in (strings, byte
// buffers), plain data out (strings, fresh ArrayBuffers): no host object ever crosses, nothing here has
// side effects, and every argument is checked, because the isolate's code is untrusted.
import { createHash, createHmac, randomFillSync } from "node:crypto";
import { URL as SpecURL, URLSearchParams as SpecURLSearchParams } from "whatwg-url";
import { URL_PARTS } from "./sandbox/url-parts.js";

const URL_SETTERS = new Set<string>(URL_PARTS.filter((part) => part !== "origin"));
const HASHES: Record<string, string> = {
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};
/** getRandomValues refuses more than 65536 bytes per call (the web limit); the prelude pools smaller. */
const MAX_RANDOM = 65536;
/**
 * These calls run on the host's main thread while the isolate waits: caps keep one call from stalling
 * the platform (a 1 MiB URL or 8 MiB hashed per call are far beyond real use).
 */
const MAX_TEXT = 1024 * 1024;
const MAX_HASHED = 8 * 1024 * 1024;

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new TypeError(`${what} must be a string`);
  if (value.length > MAX_TEXT) throw new TypeError(`${what} is longer than ${MAX_TEXT} characters`);
  return value;
}

function bytes(value: unknown, what: string): Uint8Array {
  let view: Uint8Array;
  if (value instanceof ArrayBuffer) view = new Uint8Array(value);
  else if (ArrayBuffer.isView(value)) view = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  else throw new TypeError(`${what} must be bytes`);
  if (view.byteLength > MAX_HASHED) {
    throw new TypeError(
      `${what} is over ${MAX_HASHED / 1024 / 1024} MiB, the most Runlet hashes in one call`,
    );
  }
  return view;
}

function hashName(value: unknown): string {
  const name = HASHES[text(value, "the hash")];
  if (!name) throw new TypeError(`unsupported hash ${String(value)}`);
  return name;
}

/** A fresh ArrayBuffer (Buffers may share a pooled one, which must not be copied out whole). */
function fresh(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

function parseUrl(input: string, base?: string): SpecURL | null {
  try {
    return new SpecURL(input, base);
  } catch {
    return null;
  }
}

function urlParts(url: SpecURL): string {
  return JSON.stringify(URL_PARTS.map((part) => url[part]));
}

/** Runs one synchronous operation for the sandbox; throws TypeError on bad input (the sandbox sees it). */
export function syncOp(op: unknown, a: unknown, b: unknown, c: unknown): unknown {
  switch (op) {
    case "url.parse": {
      const url = parseUrl(
        text(a, "the URL"),
        b === undefined || b === null ? undefined : text(b, "the base"),
      );
      return url ? urlParts(url) : null;
    }
    case "url.set": {
      const url = parseUrl(text(a, "the URL"));
      const part = text(b, "the URL part");
      if (!url || !URL_SETTERS.has(part)) return null;
      (url as unknown as Record<string, string>)[part] = text(c, "the value");
      return urlParts(url);
    }
    case "form.parse":
      return JSON.stringify([...new SpecURLSearchParams(text(a, "the query"))]);
    case "form.serialize": {
      const pairs = JSON.parse(text(a, "the pairs")) as unknown;
      if (!Array.isArray(pairs)) throw new TypeError("the pairs must be an array");
      return new SpecURLSearchParams(
        pairs.map((pair: unknown[]): [string, string] => [String(pair[0]), String(pair[1])]),
      ).toString();
    }
    case "random": {
      const size = Number(a);
      if (!Number.isInteger(size) || size < 0 || size > MAX_RANDOM) throw new TypeError("bad random size");
      return fresh(randomFillSync(Buffer.alloc(size)));
    }
    case "digest":
      return fresh(createHash(hashName(a)).update(bytes(b, "the data")).digest());
    case "hmac":
      return fresh(createHmac(hashName(a), bytes(b, "the key")).update(bytes(c, "the data")).digest());
    default:
      throw new TypeError(`unknown operation ${String(op)}`);
  }
}
