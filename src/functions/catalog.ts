import type { Change, PublishChange } from "../model/change.js";
import type { FunctionRecord, VersionRecord } from "../model/function.js";
import type { Store } from "../store/store.js";

/**
 * Read-through caches for the invocation hot path. Function records and account existence are trusted
 * for `pollMs`; a change on this node drops them at once and is published (`publish`) so other nodes
 * drop theirs too (`apply`), the poll being the fallback for a message that never came. Versions are
 * immutable and cached by their function's uuid and number: a function deleted and created again gets a
 * new uuid, so its new version 1 can never be answered from the old one's cache entry.
 */
export class Catalog {
  #functions = new Map<string, { record: FunctionRecord | undefined; at: number }>();
  /** By `${function uuid}@${version}`. */
  #versions = new Map<string, VersionRecord>();
  #accounts = new Map<string, { exists: boolean; at: number }>();
  #listeners: ((account: string, name: string) => void)[] = [];
  /** Bumped by every invalidation, so a read that raced a change is not cached. */
  #generation = 0;
  /** Tells the cluster about this node's changes (set by the platform). */
  publish: PublishChange | undefined;

  constructor(
    private readonly store: Store,
    private readonly pollMs = 1000,
    private readonly maxVersions = 5000,
  ) {}

  async accountExists(name: string): Promise<boolean> {
    const hit = this.#accounts.get(name);
    const now = Date.now();
    if (hit && now - hit.at < this.pollMs) return hit.exists;
    const generation = this.#generation;
    const exists = (await this.store.accounts.get(name)) !== undefined;
    if (generation === this.#generation) {
      if (this.#accounts.size > 10_000) this.#accounts.clear();
      this.#accounts.set(name, { exists, at: now });
    }
    return exists;
  }

  async function(account: string, name: string): Promise<FunctionRecord | undefined> {
    const key = `${account}/${name}`;
    const hit = this.#functions.get(key);
    const now = Date.now();
    if (hit && now - hit.at < this.pollMs) return hit.record;
    const generation = this.#generation;
    const record = await this.store.functions.get(account, name);
    if (generation === this.#generation) {
      if (this.#functions.size > 100_000) this.#functions.clear();
      this.#functions.set(key, { record, at: now });
    }
    return record;
  }

  /** A version of the function as it is now (undefined when the function or the version is gone). */
  async version(account: string, name: string, version: number): Promise<VersionRecord | undefined> {
    const fn = await this.function(account, name);
    if (!fn) return undefined;
    const key = `${fn.uuid}@${version}`;
    const hit = this.#versions.get(key);
    if (hit) return hit;
    const record = await this.store.versions.get(account, name, version);
    if (record) {
      if (this.#versions.size >= this.maxVersions) this.#versions.delete(this.#versions.keys().next().value!);
      this.#versions.set(key, record);
    }
    return record;
  }

  /** This node created an account. */
  forgetAccount(name: string): void {
    this.#accounts.delete(name);
    this.#generation++;
    this.publish?.({ kind: "account", account: name });
  }

  /** This node changed a function (upload, deploy, undeploy, delete): drops it here and tells the cluster. */
  invalidate(account: string, name: string): void {
    this.#drop(account, name);
    this.publish?.({ kind: "function", account, name });
  }

  /** A change another node made (src/cluster). */
  apply(change: Change): void {
    if (change.kind === "function") this.#drop(change.account, change.name);
    else if (change.kind === "account") {
      this.#accounts.delete(change.account);
      this.#generation++;
    } else if (change.kind === "everything") {
      this.#functions.clear();
      this.#accounts.clear();
      this.#generation++;
    }
  }

  /** Called whenever a function changes, here or on another node: caches built on it drop. */
  onChange(listener: (account: string, name: string) => void): void {
    this.#listeners.push(listener);
  }

  /** Drops the function's cached versions (memory only: a new incarnation never matches them). */
  forgetVersions(account: string, name: string): void {
    for (const [key, record] of this.#versions)
      if (record.account === account && record.function === name) this.#versions.delete(key);
  }

  #drop(account: string, name: string): void {
    this.#functions.delete(`${account}/${name}`);
    this.#generation++;
    for (const listener of this.#listeners) listener(account, name);
  }
}
