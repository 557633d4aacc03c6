import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { RunletError } from "../../errors.js";
import type { Allowlist } from "../../model/account.js";
import type { PublishChange } from "../../model/change.js";
import type { Store } from "../../store/store.js";

export const MAX_ALLOWLIST_ENTRIES = 100;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function invalid(entry: unknown, why: string): RunletError {
  return new RunletError(
    "RUNLET_ERR_INVALID_ALLOWLIST",
    `allowlist entry ${JSON.stringify(String(entry).slice(0, 100))} is invalid: ${why}`,
  );
}

/** A host name in the form the allowlist compares: lower case, punycode, no trailing dot. */
export function canonicalHost(host: string): string {
  return domainToASCII(host.replace(/\.$/, "")).toLowerCase();
}

/**
 * Checks and normalises allowlist entries: host names (`api.example.com`) or wildcards (`*.example.com`,
 * any subdomain at any depth, not the apex). No schemes, ports, paths, IP addresses or bare TLDs.
 */
export function normalizeAllowlist(domains: unknown): string[] {
  if (!Array.isArray(domains)) throw invalid(domains, "domains must be an array of host names");
  if (domains.length > MAX_ALLOWLIST_ENTRIES) {
    throw new RunletError(
      "RUNLET_ERR_INVALID_ALLOWLIST",
      `the allowlist has ${domains.length} entries; the limit is ${MAX_ALLOWLIST_ENTRIES}`,
    );
  }
  const out: string[] = [];
  for (const entry of domains) {
    if (typeof entry !== "string" || entry.trim() === "") throw invalid(entry, "expected a host name");
    const raw = entry.trim();
    if (/[/:?#@\s]/.test(raw)) throw invalid(entry, "give the host name only, like api.example.com");
    const wildcard = raw.startsWith("*.");
    const base = wildcard ? raw.slice(2) : raw;
    if (base.includes("*"))
      throw invalid(entry, "a wildcard is allowed only as the first label: *.example.com");
    if (isIP(base)) throw invalid(entry, "IP addresses cannot be allowlisted; use the host name");
    const host = canonicalHost(base);
    // The URL host parser reads some names as IPv4 ("5" is 0.0.0.5, "0x7f.1" is 127.0.0.1).
    if (isIP(host)) throw invalid(entry, "IP addresses cannot be allowlisted; use the host name");
    const labels = host.split(".");
    if (host === "" || host.length > 253 || !labels.every((l) => LABEL.test(l))) {
      throw invalid(entry, "not a valid host name");
    }
    if (labels.length < 2) throw invalid(entry, "name a domain, not a single label or top-level domain");
    const normalized = wildcard ? `*.${host}` : host;
    if (!out.includes(normalized)) out.push(normalized);
  }
  return out;
}

/** The entry that lets `host` through, if any. */
export function allowingEntry(host: string, domains: readonly string[]): string | undefined {
  const name = canonicalHost(host);
  return domains.find((d) => (d.startsWith("*.") ? name.endsWith(d.slice(1)) : name === d));
}

/**
 * Each account's allowlist, cached for `ttlMs`. A change drops it at once on this node and, through the
 * cluster channel (`publish` here, `forget` there), on the others; the TTL bounds a lost message.
 */
export class Allowlists {
  #cache = new Map<string, { domains: string[]; at: number }>();
  /** Bumped by every change, so a read that raced one is not cached. */
  #generation = 0;
  /** Tells the cluster about this node's changes (set by the platform). */
  publish: PublishChange | undefined;

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 1000,
  ) {}

  async get(account: string): Promise<string[]> {
    const hit = this.#cache.get(account);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.domains;
    const generation = this.#generation;
    const at = Date.now();
    const domains = (await this.store.allowlists.get(account))?.domains ?? [];
    if (generation === this.#generation) {
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(account, { domains, at });
    }
    return domains;
  }

  /** Another node changed the account's list (src/cluster); undefined: every account's. */
  forget(account?: string): void {
    if (account === undefined) this.#cache.clear();
    else this.#cache.delete(account);
    this.#generation++;
  }

  /** The account's list as stored, with when it last changed (what GET …/allowlist shows; not cached). */
  read(account: string): Promise<Allowlist | undefined> {
    return this.store.allowlists.get(account);
  }

  /** Replaces the account's list; answers it normalised. */
  async set(account: string, domains: unknown): Promise<string[]> {
    const normalized = normalizeAllowlist(domains);
    await this.store.allowlists.set({ account, domains: normalized, updatedAt: Date.now() });
    this.forget(account);
    this.publish?.({ kind: "allowlist", account });
    return normalized;
  }
}
