// node:crypto for bundled npm packages: the subset that runs in Runlet's sandbox. Hashes, HMACs and random
// bytes are the host's (through the prelude's crypto internals); keys stay in the isolate. Anything else
// (ciphers, signatures with key pairs, key derivation) throws, naming what is missing.
/* global queueMicrotask */
import { Buffer } from "buffer";

const internals = () => {
  const value = globalThis.__runlet_crypto;
  if (!value) throw new Error("node:crypto needs the Runlet sandbox");
  return value;
};

const HASHES = { sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

function hashName(algorithm) {
  const name = HASHES[String(algorithm).toLowerCase().replace(/-/g, "")];
  if (!name)
    throw new Error(
      `crypto: the digest "${algorithm}" is not supported in Runlet (sha1, sha256, sha384, sha512 are)`,
    );
  return name;
}

function toBuffer(data, encoding) {
  if (typeof data === "string") return Buffer.from(data, encoding ?? "utf8");
  if (data instanceof KeyObject) return data.export();
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  throw new TypeError("crypto: the data must be a string, a Buffer, a TypedArray or a DataView");
}

function encode(bytes, encoding) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === undefined || encoding === "buffer" ? buffer : buffer.toString(encoding);
}

class Digest {
  #chunks = [];
  #done = false;
  #finish;
  constructor(finish) {
    this.#finish = finish;
  }
  update(data, encoding) {
    if (this.#done) throw new Error("crypto: digest already called");
    this.#chunks.push(toBuffer(data, encoding));
    return this;
  }
  digest(encoding) {
    if (this.#done) throw new Error("crypto: digest already called");
    this.#done = true;
    return encode(this.#finish(Buffer.concat(this.#chunks)), encoding);
  }
}

export function createHash(algorithm) {
  const name = hashName(algorithm);
  return new Digest((data) => internals().digest(name, data));
}

export function createHmac(algorithm, key) {
  const name = hashName(algorithm);
  const keyBytes = toBuffer(key);
  return new Digest((data) => internals().hmac(name, keyBytes, data));
}

export class KeyObject {
  #bytes;
  constructor(type, bytes) {
    if (type !== "secret") throw new Error("crypto: only secret keys are supported in Runlet");
    this.type = "secret";
    this.#bytes = Buffer.from(bytes);
    this.symmetricKeySize = this.#bytes.length;
  }
  export() {
    return Buffer.from(this.#bytes);
  }
  equals(other) {
    return other instanceof KeyObject && timingSafeEqual(this.#bytes, other.export());
  }
}

export function createSecretKey(key, encoding) {
  return new KeyObject("secret", toBuffer(key, encoding));
}

export function randomBytes(size, callback) {
  const bytes = Buffer.alloc(size);
  for (let at = 0; at < size; at += 65536) {
    globalThis.crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  }
  if (typeof callback === "function") {
    queueMicrotask(() => callback(null, bytes));
    return undefined;
  }
  return bytes;
}

export function randomInt(min, max, callback) {
  if (max === undefined || typeof max === "function") {
    callback = max;
    max = min;
    min = 0;
  }
  const range = max - min;
  if (!Number.isSafeInteger(range) || range <= 0) throw new RangeError("crypto.randomInt: bad range");
  const limit = 2 ** 48 - (2 ** 48 % range);
  let value;
  do value = randomBytes(6).readUIntBE(0, 6);
  while (value >= limit);
  const result = min + (value % range);
  if (typeof callback === "function") {
    queueMicrotask(() => callback(null, result));
    return undefined;
  }
  return result;
}

export function timingSafeEqual(a, b) {
  const x = toBuffer(a);
  const y = toBuffer(b);
  if (x.length !== y.length)
    throw new RangeError("crypto.timingSafeEqual: the inputs must have the same length");
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

export const randomUUID = () => globalThis.crypto.randomUUID();
export const getRandomValues = (array) => globalThis.crypto.getRandomValues(array);
export const webcrypto = globalThis.crypto;
export const subtle = globalThis.crypto?.subtle;
export const getHashes = () => Object.keys(HASHES);

function unsupported(name) {
  return () => {
    throw new Error(`crypto.${name} is not supported in Runlet (use crypto.subtle or an HMAC)`);
  };
}

export const createSign = unsupported("createSign");
export const createVerify = unsupported("createVerify");
export const createPrivateKey = unsupported("createPrivateKey");
export const createPublicKey = unsupported("createPublicKey");
export const createCipheriv = unsupported("createCipheriv");
export const createDecipheriv = unsupported("createDecipheriv");
export const pbkdf2 = unsupported("pbkdf2");
export const pbkdf2Sync = unsupported("pbkdf2Sync");
export const scrypt = unsupported("scrypt");
export const scryptSync = unsupported("scryptSync");
export const generateKeyPair = unsupported("generateKeyPair");
export const generateKeyPairSync = unsupported("generateKeyPairSync");
export const sign = unsupported("sign");
export const verify = unsupported("verify");
export const constants = {};

export default {
  createHash,
  createHmac,
  createSecretKey,
  KeyObject,
  randomBytes,
  randomInt,
  randomUUID,
  getRandomValues,
  timingSafeEqual,
  webcrypto,
  subtle,
  getHashes,
  createSign,
  createVerify,
  createPrivateKey,
  createPublicKey,
  createCipheriv,
  createDecipheriv,
  pbkdf2,
  pbkdf2Sync,
  scrypt,
  scryptSync,
  generateKeyPair,
  generateKeyPairSync,
  sign,
  verify,
  constants,
};
