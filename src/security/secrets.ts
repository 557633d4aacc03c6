import { ConfigError } from "../config.js";
import { RunletError } from "../errors.js";
import type { Store } from "../store/store.js";
import { DecryptError, type SecretBox } from "./crypto.js";

/** The cluster setting that holds the master key's fingerprint (SecretBox.keyId, not the key). */
export const MASTER_KEY_SETTING = "master_key_id";

/** Secret names, as on the hosted platform. */
export const SECRET_NAME_PATTERN = "^[A-Za-z0-9_-]{1,100}$";
const SECRET_NAME = new RegExp(SECRET_NAME_PATTERN);
/** Characters in a secret's value (10 KB, as on the hosted platform). */
export const MAX_SECRET_CHARS = 10_000;

export interface SecretInfo {
  name: string;
  createdAt: number;
  updatedAt: number;
}

export function assertSecretName(name: unknown): asserts name is string {
  if (typeof name !== "string" || !SECRET_NAME.test(name)) {
    throw new RunletError(
      "RUNLET_ERR_INVALID_KEY",
      `secret name ${JSON.stringify(String(name).slice(0, 120))} is invalid: use 1-100 letters, digits, _ or -`,
    );
  }
}

export function assertSecretValue(value: unknown): asserts value is string {
  if (typeof value !== "string") {
    throw new RunletError("RUNLET_ERR_BAD_REQUEST", "a secret's value must be a string");
  }
  if (value.length > MAX_SECRET_CHARS) {
    throw new RunletError(
      "RUNLET_ERR_PAYLOAD_TOO_LARGE",
      `the secret's value is ${value.length} characters; the limit is ${MAX_SECRET_CHARS}`,
    );
  }
}

/**
 * An account's secrets, sealed with AES-256-GCM under the master key (account and name bound as AAD).
 * Values leave this class only through `get`, for the function of the same account; never to logs.
 */
export class Secrets {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly maxSecrets = 1000,
  ) {}

  /**
   * Refuses to start when the stored secrets were all sealed under another master key, or, on
   * PostgreSQL, when the database was first started with another key (the first node stores its key's
   * fingerprint; every node after compares, so nodes of a cluster given different keys fail at start, not
   * at the first secret). A SQLite database belongs to one node, whose data directory holds its key.
   */
  async checkMasterKey(): Promise<void> {
    const ids = await this.store.secrets.keyIds();
    if (ids.length > 0 && !ids.includes(this.box.keyId)) {
      throw new ConfigError(
        `the master key (id ${this.box.keyId}) is not the one the stored secrets were encrypted with ` +
          `(id ${ids.join(", ")}): start with the original RUNLET_MASTER_KEY or data-directory master.key`,
      );
    }
    if (this.store.dialect !== "postgres") return;
    const agreed = await this.store.settings.claim(MASTER_KEY_SETTING, this.box.keyId, Date.now());
    if (agreed !== this.box.keyId) {
      throw new ConfigError(
        `this node's master key (id ${this.box.keyId}) is not the one this database was first started ` +
          `with (id ${agreed}): give every node the same RUNLET_MASTER_KEY (or RUNLET_MASTER_KEY_FILE) ` +
          `as the nodes already running`,
      );
    }
  }

  /** Creates or replaces; answers whether it was created. */
  async set(account: string, name: string, value: string): Promise<{ created: boolean }> {
    assertSecretName(name);
    assertSecretValue(value);
    const existed = await this.store.secrets.get(account, name);
    if (!existed && (await this.store.secrets.list(account)).length >= this.maxSecrets) {
      throw new RunletError(
        "RUNLET_ERR_QUOTA_SECRETS",
        `the account has ${this.maxSecrets} secrets, its limit; delete one before adding ${name}`,
      );
    }
    const now = Date.now();
    await this.store.secrets.put({
      account,
      name,
      sealed: this.box.seal(value, aad(account, name)),
      keyId: this.box.keyId,
      createdAt: existed?.createdAt ?? now,
      updatedAt: now,
    });
    return { created: existed === undefined };
  }

  async get(account: string, name: string): Promise<string | undefined> {
    assertSecretName(name);
    const record = await this.store.secrets.get(account, name);
    if (!record) return undefined;
    if (record.keyId !== this.box.keyId) {
      throw new RunletError(
        "RUNLET_ERR_MASTER_KEY",
        `secret ${name} was encrypted under master key ${record.keyId}, but this server has ${this.box.keyId}`,
      );
    }
    try {
      return this.box.open(record.sealed, aad(account, name));
    } catch (err) {
      if (!(err instanceof DecryptError)) throw err;
      throw new RunletError("RUNLET_ERR_MASTER_KEY", `secret ${name} cannot be decrypted: ${err.message}`);
    }
  }

  async list(account: string): Promise<SecretInfo[]> {
    return (await this.store.secrets.list(account)).map(({ name, createdAt, updatedAt }) => ({
      name,
      createdAt,
      updatedAt,
    }));
  }

  async delete(account: string, name: string): Promise<boolean> {
    assertSecretName(name);
    return this.store.secrets.delete(account, name);
  }
}

function aad(account: string, name: string): string {
  return `runlet secret\0${account}\0${name}`;
}
