import type { FunctionRecord, VersionRecord } from "../model/function.js";
import type { Store } from "../store/store.js";

/**
 * Read-through caches for the invocation hot path: function records for `ttlMs` (other nodes' deploys
 * show up within that), versions forever (they are immutable). This node's own changes invalidate at once.
 */
export class Catalog {
  #functions = new Map<string, { record: FunctionRecord | undefined; at: number }>();
  #versions = new Map<string, VersionRecord>();
  #accounts = new Map<string, { exists: boolean; at: number }>();
  #listeners: ((account: string, name: string) => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 1000,
    private readonly maxVersions = 5000,
  ) {}

  async accountExists(name: string): Promise<boolean> {
    const hit = this.#accounts.get(name);
    const now = Date.now();
    if (hit && now - hit.at < this.ttlMs) return hit.exists;
    const exists = (await this.store.accounts.get(name)) !== undefined;
    if (this.#accounts.size > 10_000) this.#accounts.clear();
    this.#accounts.set(name, { exists, at: now });
    return exists;
  }

  async function(account: string, name: string): Promise<FunctionRecord | undefined> {
    const key = `${account}/${name}`;
    const hit = this.#functions.get(key);
    const now = Date.now();
    if (hit && now - hit.at < this.ttlMs) return hit.record;
    const record = await this.store.functions.get(account, name);
    this.#functions.set(key, { record, at: now });
    return record;
  }

  async version(account: string, name: string, version: number): Promise<VersionRecord | undefined> {
    const key = `${account}/${name}@${version}`;
    const hit = this.#versions.get(key);
    if (hit) return hit;
    const record = await this.store.versions.get(account, name, version);
    if (record) {
      if (this.#versions.size >= this.maxVersions) this.#versions.delete(this.#versions.keys().next().value!);
      this.#versions.set(key, record);
    }
    return record;
  }

  forgetAccount(name: string): void {
    this.#accounts.delete(name);
  }

  invalidate(account: string, name: string): void {
    this.#functions.delete(`${account}/${name}`);
    for (const listener of this.#listeners) listener(account, name);
  }

  /** Called whenever this node changes a function (upload, deploy, undeploy, delete): caches built on it drop. */
  onChange(listener: (account: string, name: string) => void): void {
    this.#listeners.push(listener);
  }

  forgetVersions(account: string, name: string): void {
    const prefix = `${account}/${name}@`;
    for (const key of this.#versions.keys()) if (key.startsWith(prefix)) this.#versions.delete(key);
  }
}
