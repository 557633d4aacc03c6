// dist/sandbox/hashes.js: SHA-1/2 and HMAC (@noble/hashes) and ChaCha20 (@noble/ciphers), loaded into an
// isolate on first use (libs.ts).
import { chacha20 } from "@noble/ciphers/chacha.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha384, sha512 } from "@noble/hashes/sha2.js";

(globalThis as unknown as { __runlet_define(name: string, exports: unknown): void }).__runlet_define(
  "hashes",
  { chacha20, hmac, sha1, sha256, sha384, sha512 },
);
