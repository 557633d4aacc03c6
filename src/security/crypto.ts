import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptError extends Error {
  override name = "DecryptError";
}

/**
 * AES-256-GCM under the master key. Each value gets a fresh random 96-bit IV; `aad` binds a ciphertext
 * to where it belongs (account and secret name), so a sealed value copied to another row fails to open.
 * Sealed form: base64(IV ‖ ciphertext ‖ tag).
 */
export class SecretBox {
  /** A fingerprint of the key (not the key): tells "sealed under another key" apart from tampering. */
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError("AES-256-GCM needs a 32-byte key");
    this.keyId = createHash("sha256").update("runlet master key id\0").update(key).digest("hex").slice(0, 16);
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64");
  }

  /** Throws DecryptError if the value was sealed under another key or AAD, or was altered. */
  open(sealed: string, aad: string): string {
    const raw = Buffer.from(sealed, "base64");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptError("sealed value is truncated");
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      const body = decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES));
      return Buffer.concat([body, decipher.final()]).toString("utf8");
    } catch (err) {
      throw new DecryptError("authentication failed: wrong key, wrong owner or altered data", { cause: err });
    }
  }
}
