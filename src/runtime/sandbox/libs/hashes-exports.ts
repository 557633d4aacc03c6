// The shape of dist/sandbox/hashes.js's exports, for libs.ts (types only: never bundled into the prelude).
export { chacha20 } from "@noble/ciphers/chacha.js";
export { hmac } from "@noble/hashes/hmac.js";
export { sha1 } from "@noble/hashes/legacy.js";
export { sha256, sha384, sha512 } from "@noble/hashes/sha2.js";
