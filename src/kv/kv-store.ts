import { RunletError } from "../errors.js";
import type { KvEntry } from "../model/account.js";
import type { Store } from "../store/store.js";

/** Namespace names: what fits a URL path segment unescaped. */
export const KV_NAMESPACE_PATTERN = "^[A-Za-z0-9_-]{1,64}$";
const NAMESPACE = new RegExp(KV_NAMESPACE_PATTERN);
export const MAX_KEY_BYTES = 512;
/** A value's JSON text, in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 64 * 1024;
export const MAX_TTL_SECONDS = 365 * 86_400;
export const MAX_LIST_LIMIT = 1000;
// Control characters would not survive logs, URLs and terminals unchanged.
const CONTROL = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex

export interface KvListOptions {
  prefix?: string;
  limit?: number;
  cursor?: string;
}

export interface KvPage {
  entries: KvEntry[];
  /** Pass as `cursor` for the next page; absent on the last. */
  next?: string;
}

function invalid(message: string): RunletError {
  return new RunletError("RUNLET_ERR_INVALID_KEY", message);
}

export function assertNamespace(namespace: unknown): asserts namespace is string {
  if (typeof namespace !== "string" || !NAMESPACE.test(namespace)) {
    throw invalid(
      `kv namespace ${JSON.stringify(String(namespace).slice(0, 80))} is invalid: use 1-64 letters, digits, _ or -`,
    );
  }
}

export function assertKey(key: unknown, what = "kv key"): asserts key is string {
  if (typeof key !== "string" || key.length === 0) throw invalid(`${what} must be a non-empty string`);
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw invalid(`${what} is ${Buffer.byteLength(key)} bytes; the limit is ${MAX_KEY_BYTES}`);
  }
  if (CONTROL.test(key)) throw invalid(`${what} ${JSON.stringify(key.slice(0, 80))} has control characters`);
}

/**
 * The context store behind `ctx.kv` and `/v1/accounts/{acct}/kv`: JSON values by account, namespace and
 * key, with an optional TTL. Expired entries are invisible at once and deleted by a periodic purge.
 */
export class KvStore {
  #purger: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: { maxKeys: number; onPurgeError?: (err: unknown) => void },
  ) {}

  async get(account: string, namespace: string, key: string): Promise<KvEntry | undefined> {
    assertNamespace(namespace);
    assertKey(key);
    return this.store.kv.get(account, namespace, key, Date.now());
  }

  /** `json` must be JSON text; answers the entry as stored. */
  async set(
    account: string,
    namespace: string,
    key: string,
    json: string,
    ttlSeconds?: number,
  ): Promise<KvEntry> {
    assertNamespace(namespace);
    assertKey(key);
    if (typeof json !== "string")
      throw new RunletError("RUNLET_ERR_BAD_REQUEST", "a kv value must be JSON text");
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_VALUE_BYTES) {
      throw new RunletError(
        "RUNLET_ERR_PAYLOAD_TOO_LARGE",
        `the kv value is ${bytes} bytes as JSON; the limit is ${MAX_VALUE_BYTES}`,
      );
    }
    try {
      JSON.parse(json);
    } catch {
      throw new RunletError("RUNLET_ERR_BAD_REQUEST", "a kv value must be valid JSON text");
    }
    if (
      ttlSeconds !== undefined &&
      (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS)
    ) {
      throw new RunletError(
        "RUNLET_ERR_BAD_REQUEST",
        `ttlSeconds ${String(ttlSeconds)} is invalid: use a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`,
      );
    }
    const now = Date.now();
    // A soft cap (writers racing past it may add a few): it keeps one account from filling the disk.
    if (
      !(await this.store.kv.get(account, namespace, key, now)) &&
      (await this.store.kv.count(account, now)) >= this.options.maxKeys
    ) {
      throw new RunletError(
        "RUNLET_ERR_QUOTA_KV",
        `the account's context store holds ${this.options.maxKeys} keys, its limit; delete some or give them a TTL`,
      );
    }
    const entry: KvEntry = {
      account,
      namespace,
      key,
      value: json,
      expiresAt: ttlSeconds === undefined ? null : now + ttlSeconds * 1000,
      updatedAt: now,
    };
    await this.store.kv.set(entry);
    return entry;
  }

  async delete(account: string, namespace: string, key: string): Promise<boolean> {
    assertNamespace(namespace);
    assertKey(key);
    return this.store.kv.delete(account, namespace, key, Date.now());
  }

  async list(account: string, namespace: string, options: KvListOptions = {}): Promise<KvPage> {
    assertNamespace(namespace);
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new RunletError(
        "RUNLET_ERR_BAD_REQUEST",
        `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`,
      );
    }
    if (options.prefix !== undefined && options.prefix !== "") assertKey(options.prefix, "prefix");
    let after: string | undefined;
    if (options.cursor !== undefined && options.cursor !== "") {
      after =
        typeof options.cursor === "string" ? Buffer.from(options.cursor, "base64url").toString("utf8") : "";
      if (!after) throw new RunletError("RUNLET_ERR_BAD_REQUEST", "cursor is not one this API gave out");
    }
    const entries = await this.store.kv.list({
      account,
      namespace,
      prefix: options.prefix || undefined,
      after,
      limit: limit + 1,
      now: Date.now(),
    });
    if (entries.length <= limit) return { entries };
    entries.length = limit;
    return { entries, next: Buffer.from(entries[limit - 1]!.key, "utf8").toString("base64url") };
  }

  async purgeExpired(): Promise<number> {
    return this.store.kv.purgeExpired(Date.now());
  }

  /** Deletes expired entries every `intervalMs` until close(). */
  startPurging(intervalMs = 60_000): void {
    const onError = this.options.onPurgeError ?? (() => {});
    this.#purger ??= setInterval(() => this.purgeExpired().catch(onError), intervalMs);
    this.#purger.unref();
  }

  close(): void {
    clearInterval(this.#purger);
    this.#purger = undefined;
  }
}
