import { runletContext, type KvNamespace } from "./runlet-context.js";

// The hosted context session store over ctx.kv. Each store namespace is the kv namespace "lpctx-<name>"
// holding one key per session property, "<session>/<property>" (both URI-encoded); the namespaces
// themselves, with their TTL, are keys of the kv namespace "lpctx".
export type Entity = Record<string, unknown>;
export interface NamespaceOptions {
  /** Seconds each property written in the namespace lives. */
  ttl?: number;
}
export interface Namespace {
  name: string;
  ttl?: number;
  createdAt: string;
}

const DEFAULT_SESSION = "__default__";
const BUILT_IN = "default";
const NAME = /^[A-Za-z0-9_-]{1,58}$/;

/** What the hosted SDK rejects with. */
export class SDKError extends Error {
  override name = "SDKError";
}

function assertNamespace(namespace: string): void {
  if (typeof namespace !== "string" || !NAME.test(namespace)) {
    throw new SDKError(`namespace must be 1-58 letters, digits, _ or -, got ${JSON.stringify(namespace)}`);
  }
}

const key = (session: string, property: string) =>
  `${encodeURIComponent(session)}/${encodeURIComponent(property)}`;

async function allKeys(ns: KvNamespace, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await ns.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) });
    keys.push(...page.keys);
    cursor = page.next;
  } while (cursor);
  return keys;
}

/** `Toolbelt.ContextServiceClient({apiKey, accountId})`: the account comes from the invocation, the key is unused. */
export class ContextServiceClient {
  private registry(): KvNamespace {
    return runletContext().kv.namespace("lpctx");
  }

  private async store(namespace: string): Promise<{ ns: KvNamespace; ttl: number | undefined }> {
    assertNamespace(namespace);
    const ns = runletContext().kv.namespace(`lpctx-${namespace}`);
    if (namespace === BUILT_IN) return { ns, ttl: undefined };
    const meta = (await this.registry().get(namespace)) as Namespace | undefined;
    if (!meta)
      throw new SDKError(`namespace ${namespace} does not exist; create it with createNamespace first`);
    return { ns, ttl: meta.ttl };
  }

  async createNamespace(namespace: string, options: NamespaceOptions = {}): Promise<Namespace> {
    assertNamespace(namespace);
    if (namespace === BUILT_IN) throw new SDKError(`${BUILT_IN} is a built-in namespace`);
    const existing = (await this.registry().get(namespace)) as Namespace | undefined;
    if (existing) return existing;
    const ttl = options.ttl;
    if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1 || ttl > 31_536_000)) {
      throw new SDKError("options.ttl must be a whole number of seconds from 1 to 31536000 (a year)");
    }
    const created: Namespace = {
      name: namespace,
      ...(ttl ? { ttl } : {}),
      createdAt: new Date().toISOString(),
    };
    await this.registry().set(namespace, created);
    return created;
  }

  async deleteNamespace(namespace: string): Promise<void> {
    assertNamespace(namespace);
    if (namespace === BUILT_IN) throw new SDKError(`${BUILT_IN} is a built-in namespace`);
    const ns = runletContext().kv.namespace(`lpctx-${namespace}`);
    for (const k of await allKeys(ns, "")) await ns.delete(k);
    await this.registry().delete(namespace);
  }

  async getListOfNamespaces(): Promise<Namespace[]> {
    const registry = this.registry();
    const names = await allKeys(registry, "");
    const custom = await Promise.all(names.map(async (n) => (await registry.get(n)) as Namespace));
    return [{ name: BUILT_IN, createdAt: new Date(0).toISOString() }, ...custom.filter(Boolean)];
  }

  /** Replaces the session's properties with these. */
  async setPropertiesInNamespace(namespace: string, properties: Entity, sessionId = DEFAULT_SESSION) {
    const { ns } = await this.store(namespace);
    const keep = new Set(Object.keys(properties).map((p) => key(sessionId, p)));
    for (const k of await allKeys(ns, `${encodeURIComponent(sessionId)}/`))
      if (!keep.has(k)) await ns.delete(k);
    return this.updatePropertiesInNamespace(namespace, properties, sessionId);
  }

  /** Adds or overwrites these properties of the session, keeping the others. */
  async updatePropertiesInNamespace(namespace: string, properties: Entity, sessionId = DEFAULT_SESSION) {
    const { ns, ttl } = await this.store(namespace);
    for (const [property, value] of Object.entries(properties ?? {})) {
      await ns.set(key(sessionId, property), value ?? null, ttl ? { ttlSeconds: ttl } : {});
    }
    return properties;
  }

  async getAllPropertiesInSession(namespace: string, sessionId = DEFAULT_SESSION): Promise<Entity> {
    const { ns } = await this.store(namespace);
    const prefix = `${encodeURIComponent(sessionId)}/`;
    const entity: Entity = {};
    for (const k of await allKeys(ns, prefix)) {
      const value = await ns.get(k);
      if (value !== undefined) entity[decodeURIComponent(k.slice(prefix.length))] = value;
    }
    return entity;
  }

  async getSelectedPropertiesInSession(namespace: string, names: string[], sessionId = DEFAULT_SESSION) {
    const { ns } = await this.store(namespace);
    const entity: Entity = {};
    for (const name of names) {
      const value = await ns.get(key(sessionId, name));
      if (value !== undefined) entity[name] = value;
    }
    return entity;
  }

  async getPropertyInSession(namespace: string, name: string, sessionId = DEFAULT_SESSION): Promise<unknown> {
    const { ns } = await this.store(namespace);
    return ns.get(key(sessionId, name));
  }

  async deletePropertyInSession(namespace: string, name: string, sessionId = DEFAULT_SESSION): Promise<void> {
    const { ns } = await this.store(namespace);
    await ns.delete(key(sessionId, name));
  }

  async deleteSession(namespace: string, sessionId = DEFAULT_SESSION): Promise<void> {
    const { ns } = await this.store(namespace);
    for (const k of await allKeys(ns, `${encodeURIComponent(sessionId)}/`)) await ns.delete(k);
  }

  async getListOfSessions(namespace: string): Promise<string[]> {
    const { ns } = await this.store(namespace);
    const sessions = new Set((await allKeys(ns, "")).map((k) => decodeURIComponent(k.split("/")[0]!)));
    return [...sessions];
  }

  // The first generation's names for the same operations (its docs and lambdas use both).
  getAllPropertiesInNamespace(namespace: string, sessionId?: string) {
    return this.getAllPropertiesInSession(namespace, sessionId);
  }
  getSelectedPropertiesInNamespace(namespace: string, names: string[], sessionId?: string) {
    return this.getSelectedPropertiesInSession(namespace, names, sessionId);
  }
  getPropertyInNamespace(namespace: string, name: string, sessionId?: string) {
    return this.getPropertyInSession(namespace, name, sessionId);
  }
  deletePropertyInNamespace(namespace: string, name: string, sessionId?: string) {
    return this.deletePropertyInSession(namespace, name, sessionId);
  }
}
