import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

function base32(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte & 31];
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
  return `${prefix}${time}${base32(randomBytes(14))}`;
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}
