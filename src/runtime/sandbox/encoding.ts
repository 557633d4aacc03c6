// TextEncoder, TextDecoder, atob and btoa, following the WHATWG Encoding and HTML specs' algorithms.
// Decoders: UTF-8 (the spec's streaming decoder, with fatal and ignoreBOM), UTF-16LE/BE and windows-1252
// (which the spec maps "latin1", "ascii" and "iso-8859-1" to). Other labels throw a RangeError.
import { DOMException } from "./events.js";

/** UTF-8 bytes of a string; lone surrogates become U+FFFD (USVString conversion). */
export function utf8Encode(input: string): Uint8Array {
  const out = new Uint8Array(input.length * 3);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    let cp = input.charCodeAt(i);
    if (cp < 0x80) {
      out[n++] = cp;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const next = input.charCodeAt(i + 1);
      if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else cp = 0xfffd;
    }
    if (cp < 0x800) {
      out[n++] = 0xc0 | (cp >> 6);
      out[n++] = 0x80 | (cp & 63);
    } else if (cp < 0x10000) {
      out[n++] = 0xe0 | (cp >> 12);
      out[n++] = 0x80 | ((cp >> 6) & 63);
      out[n++] = 0x80 | (cp & 63);
    } else {
      out[n++] = 0xf0 | (cp >> 18);
      out[n++] = 0x80 | ((cp >> 12) & 63);
      out[n++] = 0x80 | ((cp >> 6) & 63);
      out[n++] = 0x80 | (cp & 63);
    }
  }
  return out.slice(0, n);
}

export function toBytes(input: unknown, what: string): Uint8Array {
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError(`${what} must be an ArrayBuffer or an ArrayBufferView`);
}

export class TextEncoder {
  get encoding(): string {
    return "utf-8";
  }
  encode(input: unknown = ""): Uint8Array {
    return utf8Encode(String(input));
  }
  encodeInto(source: unknown, destination: Uint8Array): { read: number; written: number } {
    if (!(destination instanceof Uint8Array))
      throw new TypeError("encodeInto: the destination must be a Uint8Array");
    const text = String(source);
    let read = 0;
    let written = 0;
    for (const char of text) {
      const bytes = utf8Encode(char);
      if (written + bytes.length > destination.length) break;
      destination.set(bytes, written);
      written += bytes.length;
      read += char.length;
    }
    return { read, written };
  }
}

const LABELS: Record<string, string> = {};
for (const [name, labels] of [
  ["utf-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8"],
  ["utf-16le", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le"],
  ["utf-16be", "unicodefffe utf-16be"],
  [
    "windows-1252",
    "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
  ],
] as const) {
  for (const label of labels.split(" ")) LABELS[label] = name;
}

// windows-1252 bytes 0x80–0x9F (the rest are Latin-1).
const W1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

interface DecodeState {
  // UTF-8
  needed: number;
  seen: number;
  cp: number;
  lower: number;
  upper: number;
  // UTF-16: a pending lead byte and lead surrogate
  leadByte: number;
  leadSurrogate: number;
  bomSeen: boolean;
}

function freshState(): DecodeState {
  return {
    needed: 0,
    seen: 0,
    cp: 0,
    lower: 0x80,
    upper: 0xbf,
    leadByte: -1,
    leadSurrogate: -1,
    bomSeen: false,
  };
}

class CodePoints {
  #units: number[] = [];
  #out = "";
  push(cp: number): void {
    if (cp > 0xffff) {
      cp -= 0x10000;
      this.#units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else this.#units.push(cp);
    if (this.#units.length >= 8192) this.flush();
  }
  pushUnit(unit: number): void {
    this.#units.push(unit);
    if (this.#units.length >= 8192) this.flush();
  }
  flush(): void {
    this.#out += String.fromCharCode(...this.#units);
    this.#units = [];
  }
  toString(): string {
    this.flush();
    return this.#out;
  }
}

export class TextDecoder {
  readonly #encoding: string;
  readonly #fatal: boolean;
  readonly #ignoreBOM: boolean;
  #state = freshState();

  constructor(label: unknown = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const encoding = LABELS[String(label).trim().toLowerCase()];
    if (!encoding) throw new RangeError(`TextDecoder: the encoding "${String(label)}" is not supported`);
    this.#encoding = encoding;
    this.#fatal = Boolean(options.fatal);
    this.#ignoreBOM = Boolean(options.ignoreBOM);
  }
  get encoding(): string {
    return this.#encoding;
  }
  get fatal(): boolean {
    return this.#fatal;
  }
  get ignoreBOM(): boolean {
    return this.#ignoreBOM;
  }

  decode(input?: unknown, options: { stream?: boolean } = {}): string {
    const bytes =
      input === undefined || input === null ? new Uint8Array(0) : toBytes(input, "decode: the input");
    const stream = Boolean(options.stream);
    const out = new CodePoints();
    const state = this.#state;
    switch (this.#encoding) {
      case "utf-8":
        this.#utf8(bytes, stream, out);
        break;
      case "utf-16le":
      case "utf-16be":
        this.#utf16(bytes, stream, out, this.#encoding === "utf-16be");
        break;
      default:
        for (const b of bytes) out.pushUnit(b >= 0x80 && b <= 0x9f ? W1252[b - 0x80]! : b);
    }
    let text = out.toString();
    if (!this.#ignoreBOM && !state.bomSeen && text.length > 0 && this.#encoding !== "windows-1252") {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) state.bomSeen = true;
    if (!stream) this.#state = freshState();
    return text;
  }

  #error(out: CodePoints): void {
    if (this.#fatal) {
      this.#state = freshState();
      throw new TypeError(`TextDecoder: the input is not valid ${this.#encoding}`);
    }
    out.push(0xfffd);
  }

  // The UTF-8 decoder of the Encoding spec, §9.1.1.
  #utf8(bytes: Uint8Array, stream: boolean, out: CodePoints): void {
    const s = this.#state;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (s.needed === 0) {
        if (b <= 0x7f) out.pushUnit(b);
        else if (b >= 0xc2 && b <= 0xdf) {
          s.needed = 1;
          s.cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) s.lower = 0xa0;
          if (b === 0xed) s.upper = 0x9f;
          s.needed = 2;
          s.cp = b & 0xf;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) s.lower = 0x90;
          if (b === 0xf4) s.upper = 0x8f;
          s.needed = 3;
          s.cp = b & 0x7;
        } else this.#error(out);
        continue;
      }
      if (b < s.lower || b > s.upper) {
        s.cp = s.needed = s.seen = 0;
        s.lower = 0x80;
        s.upper = 0xbf;
        this.#error(out);
        i--; // prepend the byte to the stream
        continue;
      }
      s.lower = 0x80;
      s.upper = 0xbf;
      s.cp = (s.cp << 6) | (b & 0x3f);
      s.seen++;
      if (s.seen !== s.needed) continue;
      out.push(s.cp);
      s.cp = s.needed = s.seen = 0;
    }
    if (!stream && s.needed !== 0) {
      s.cp = s.needed = s.seen = 0;
      this.#error(out);
    }
  }

  // The shared UTF-16 decoder of the Encoding spec, §14.2.1.
  #utf16(bytes: Uint8Array, stream: boolean, out: CodePoints, bigEndian: boolean): void {
    const s = this.#state;
    for (const b of bytes) {
      if (s.leadByte === -1) {
        s.leadByte = b;
        continue;
      }
      const unit = bigEndian ? (s.leadByte << 8) + b : (b << 8) + s.leadByte;
      s.leadByte = -1;
      if (s.leadSurrogate !== -1) {
        const lead = s.leadSurrogate;
        s.leadSurrogate = -1;
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          out.push(0x10000 + ((lead - 0xd800) << 10) + (unit - 0xdc00));
          continue;
        }
        this.#error(out);
      }
      if (unit >= 0xd800 && unit <= 0xdbff) s.leadSurrogate = unit;
      else if (unit >= 0xdc00 && unit <= 0xdfff) this.#error(out);
      else out.pushUnit(unit);
    }
    if (!stream && (s.leadByte !== -1 || s.leadSurrogate !== -1)) {
      s.leadByte = s.leadSurrogate = -1;
      this.#error(out);
    }
  }
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** HTML's btoa: each code unit must be ≤ 0xFF. */
export function btoa(data: unknown): string {
  if (arguments.length === 0) throw new TypeError("btoa: 1 argument required");
  const text = String(data);
  let out = "";
  for (let i = 0; i < text.length; i += 3) {
    const codes = [text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2)];
    for (let k = 0; k < 3 && i + k < text.length; k++) {
      if (codes[k]! > 0xff) {
        throw new DOMException(
          "btoa: the string contains characters outside of the Latin1 range",
          "InvalidCharacterError",
        );
      }
    }
    const [a, b = 0, c = 0] = [
      codes[0]!,
      i + 1 < text.length ? codes[1]! : 0,
      i + 2 < text.length ? codes[2]! : 0,
    ];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | (b >> 4)]!;
    out += i + 1 < text.length ? B64[((b & 15) << 2) | (c >> 6)]! : "=";
    out += i + 2 < text.length ? B64[c & 63]! : "=";
  }
  return out;
}

/** HTML's atob: the forgiving-base64 decode (ASCII whitespace removed, padding optional). */
export function atob(data: unknown): string {
  if (arguments.length === 0) throw new TypeError("atob: 1 argument required");
  let text = String(data).replace(/[\t\n\f\r ]/g, "");
  if (text.length % 4 === 0) text = text.replace(/==?$/, "");
  const invalid = () =>
    new DOMException("atob: the string is not correctly encoded", "InvalidCharacterError");
  if (text.length % 4 === 1) throw invalid();
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = B64_INDEX.get(char);
    if (value === undefined) throw invalid();
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}
