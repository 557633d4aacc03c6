// crypto.getRandomValues, crypto.randomUUID and crypto.subtle (digest; HMAC importKey, generateKey,
// exportKey, sign, verify), computed inside the isolate so a function looping over them spends its own
// time and never the host's main thread: hashes and HMAC by @noble/hashes (audited, no dependencies),
// random bytes by a ChaCha20 generator (@noble/ciphers) with fast key erasure, seeded with 32 bytes of the
// host's CSPRNG (a host call of constant size) and reseeded every MiB. Keys stay in the isolate as bytes.
import type { CHash } from "@noble/hashes/utils.js";
import { hostSync } from "./bridge.js";
import { loadLib } from "./libs.js";
import { DOMException } from "./events.js";
import { toBytes } from "./encoding.js";

const RESEED_AFTER = 1024 * 1024;
const NONCE = new Uint8Array(12);
let key: Uint8Array | undefined;
let sinceSeed = 0;

/** `size` bytes of keystream under the current key; the next key is taken from the same stream. */
function generate(size: number): Uint8Array {
  if (!key || sinceSeed >= RESEED_AFTER) {
    const seed = new Uint8Array(hostSync("random", 32) as ArrayBuffer);
    key = key ? loadLib("hashes").sha256(new Uint8Array([...key, ...seed])) : seed;
    sinceSeed = 0;
  }
  const stream = loadLib("hashes").chacha20(key, NONCE, new Uint8Array(size + 32));
  // Each key is used once (the nonce never needs to change): what was handed out cannot be recomputed.
  key = stream.slice(size);
  stream.fill(0, size);
  sinceSeed += size;
  return stream.subarray(0, size);
}

let pool: Uint8Array = new Uint8Array(0);
let poolAt = 0;

function randomBytes(size: number): Uint8Array {
  if (size > 1024) return generate(size);
  if (poolAt + size > pool.length) {
    pool = generate(4096);
    poolAt = 0;
  }
  const out = pool.slice(poolAt, poolAt + size);
  pool.fill(0, poolAt, poolAt + size);
  poolAt += size;
  return out;
}

const INTEGER_ARRAYS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
];

function getRandomValues<T extends ArrayBufferView>(array: T): T {
  if (!INTEGER_ARRAYS.some((type) => array instanceof type)) {
    throw new DOMException("getRandomValues: the array must be an integer typed array", "TypeMismatchError");
  }
  if (array.byteLength > 65536) {
    throw new DOMException(
      `getRandomValues: ${array.byteLength} bytes asked, at most 65536`,
      "QuotaExceededError",
    );
  }
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(randomBytes(array.byteLength));
  return array;
}

function randomUUID(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Algorithm = string | { name: string; hash?: string | { name: string }; length?: number };
const HASHES: Record<string, { name: string; block: number; fn: "sha1" | "sha256" | "sha384" | "sha512" }> = {
  "SHA-1": { name: "SHA-1", block: 64, fn: "sha1" },
  "SHA-256": { name: "SHA-256", block: 64, fn: "sha256" },
  "SHA-384": { name: "SHA-384", block: 128, fn: "sha384" },
  "SHA-512": { name: "SHA-512", block: 128, fn: "sha512" },
};

function hashFn(hash: string): CHash {
  return loadLib("hashes")[HASHES[hash]!.fn] as CHash;
}

function digestOf(hash: string, data: Uint8Array): Uint8Array {
  return hashFn(hash)(data);
}

function hmacOf(hash: string, key: Uint8Array, data: Uint8Array): Uint8Array {
  return loadLib("hashes").hmac(hashFn(hash), key, data);
}

/** A fresh ArrayBuffer holding exactly these bytes. */
function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

function algorithmName(algorithm: Algorithm): string {
  return (typeof algorithm === "string" ? algorithm : String(algorithm?.name)).toUpperCase();
}

function hashOf(value: string | { name: string } | undefined): string {
  const name = (typeof value === "string" ? value : String(value?.name)).toUpperCase();
  const hash = HASHES[name];
  if (!hash)
    throw new DOMException(
      `unsupported hash "${name}" (use SHA-1, SHA-256, SHA-384 or SHA-512)`,
      "NotSupportedError",
    );
  return hash.name;
}

export class CryptoKey {
  readonly type = "secret";
  readonly #bytes: Uint8Array;
  constructor(
    bytes: Uint8Array,
    readonly algorithm: { name: "HMAC"; hash: { name: string }; length: number },
    readonly extractable: boolean,
    readonly usages: string[],
  ) {
    if (!constructingKey) throw new TypeError("Illegal constructor");
    this.#bytes = bytes;
  }
  /** Internal: the key material. */
  get _bytes(): Uint8Array {
    return this.#bytes;
  }
}

let constructingKey = false;
function makeKey(bytes: Uint8Array, hash: string, extractable: boolean, usages: string[]): CryptoKey {
  constructingKey = true;
  try {
    return new CryptoKey(
      bytes.slice(),
      { name: "HMAC", hash: { name: hash }, length: bytes.length * 8 },
      extractable,
      [...usages],
    );
  } finally {
    constructingKey = false;
  }
}

function notSupported(what: string): Promise<never> {
  return Promise.reject(
    new DOMException(
      `crypto.subtle: ${what} is not supported in Runlet (digest and HMAC are)`,
      "NotSupportedError",
    ),
  );
}

function checkKey(key: unknown, usage: string): CryptoKey {
  if (!(key instanceof CryptoKey)) throw new TypeError("the key must be a CryptoKey");
  if (!key.usages.includes(usage))
    throw new DOMException(`the key may not be used to ${usage}`, "InvalidAccessError");
  return key;
}

const subtle = {
  async digest(algorithm: Algorithm, data: unknown): Promise<ArrayBuffer> {
    const hash = hashOf(algorithmName(algorithm));
    return buffer(digestOf(hash, toBytes(data, "digest: the data")));
  },
  async importKey(
    format: string,
    keyData: unknown,
    algorithm: Algorithm,
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKey> {
    if (algorithmName(algorithm) !== "HMAC") return notSupported(`importKey for ${algorithmName(algorithm)}`);
    if (format !== "raw") return notSupported(`importKey format "${format}"`);
    const hash = hashOf(typeof algorithm === "string" ? undefined : algorithm.hash);
    const bytes = toBytes(keyData, "importKey: the key data");
    if (bytes.length === 0) throw new DOMException("importKey: the key is empty", "DataError");
    return makeKey(bytes, hash, Boolean(extractable), usages);
  },
  async generateKey(algorithm: Algorithm, extractable: boolean, usages: string[]): Promise<CryptoKey> {
    if (algorithmName(algorithm) !== "HMAC")
      return notSupported(`generateKey for ${algorithmName(algorithm)}`);
    const spec = algorithm as { hash?: string | { name: string }; length?: number };
    const hash = hashOf(spec.hash);
    const length = spec.length ? Math.ceil(spec.length / 8) : HASHES[hash]!.block;
    return makeKey(randomBytes(length), hash, Boolean(extractable), usages);
  },
  async exportKey(format: string, key: CryptoKey): Promise<ArrayBuffer> {
    if (!(key instanceof CryptoKey)) throw new TypeError("the key must be a CryptoKey");
    if (format !== "raw") return notSupported(`exportKey format "${format}"`);
    if (!key.extractable) throw new DOMException("the key is not extractable", "InvalidAccessError");
    return key._bytes.slice().buffer;
  },
  async sign(algorithm: Algorithm, key: CryptoKey, data: unknown): Promise<ArrayBuffer> {
    if (algorithmName(algorithm) !== "HMAC") return notSupported(`sign with ${algorithmName(algorithm)}`);
    const k = checkKey(key, "sign");
    return buffer(hmacOf(k.algorithm.hash.name, k._bytes, toBytes(data, "sign: the data")));
  },
  async verify(algorithm: Algorithm, key: CryptoKey, signature: unknown, data: unknown): Promise<boolean> {
    if (algorithmName(algorithm) !== "HMAC") return notSupported(`verify with ${algorithmName(algorithm)}`);
    const k = checkKey(key, "verify");
    const expected = hmacOf(k.algorithm.hash.name, k._bytes, toBytes(data, "verify: the data"));
    const given = toBytes(signature, "verify: the signature");
    let diff = expected.length ^ given.length;
    for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ (given[i] ?? 0);
    return diff === 0;
  },
  encrypt: () => notSupported("encrypt"),
  decrypt: () => notSupported("decrypt"),
  deriveBits: () => notSupported("deriveBits"),
  deriveKey: () => notSupported("deriveKey"),
  wrapKey: () => notSupported("wrapKey"),
  unwrapKey: () => notSupported("unwrapKey"),
};

export const crypto = Object.freeze({ getRandomValues, randomUUID, subtle: Object.freeze(subtle) });

/** Node-style helpers for the node:crypto shim (createHash, createHmac, randomBytes). */
export const cryptoInternals = Object.freeze({
  randomBytes,
  digest: (hash: string, data: Uint8Array) => digestOf(hashOf(hash), data),
  hmac: (hash: string, key: Uint8Array, data: Uint8Array) => hmacOf(hashOf(hash), key, data),
});
