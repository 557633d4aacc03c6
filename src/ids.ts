import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

// One randomBytes call per 4 KiB of ids instead of one per id: ids are minted on the invocation hot path.
let pool = Buffer.alloc(0);
let offset = 0;

function randomBase32(length: number): string {
  if (offset + length > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[pool[offset + i]! & 31];
  offset += length;
  return out;
}

/** Time-sortable id: 10 chars of milliseconds, then 14 random chars (ULID-like); ids sort by creation. */
export function timeId(prefix: string, now = Date.now()): string {
  let time = "";
  let ms = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  return `${prefix}${time}${randomBase32(14)}`;
}

/** The creation time (ms) a timeId carries; undefined for anything that is not one. */
export function timeOfId(id: string, prefix: string): number | undefined {
  if (!id.startsWith(prefix) || id.length !== prefix.length + 24) return undefined;
  let ms = 0;
  for (const char of id.slice(prefix.length, prefix.length + 10)) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    ms = ms * 32 + digit;
  }
  return ms;
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}
