import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { embeddedIPv4 } from "./embedded-ipv4.js";

/**
 * Hooks for tests only: they are taken from code (createPlatform's options), never from the environment
 * or a config file, so a deployment cannot turn the guard off by accident.
 */
export interface OutboundOptions {
  /** Addresses let through although they are private or loopback (a test's local HTTP server). */
  allowPrivate?: readonly string[];
  /** Replaces DNS resolution: the addresses a host name resolves to. */
  resolve?: (hostname: string) => Promise<string[]>;
  /** Certificates trusted for https instead of the system's (a test server's self-signed certificate). */
  ca?: string;
}

export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Why an address may not be reached, or undefined for an ordinary public unicast address. Anything
 * ipaddr.js does not class as `unicast` is refused: loopback, private (RFC 1918), unique-local (fc00::/7,
 * which holds the fd00:ec2::254 metadata address), link-local (169.254.0.0/16 with 169.254.169.254),
 * unspecified, multicast, broadcast, carrier-grade NAT, reserved, documentation, site-local. An IPv6
 * address that carries an IPv4 one (embedded-ipv4.ts: mapped, compatible, translated, NAT64, 6to4,
 * Teredo) is judged by what it carries, so `[::7f00:1]` is the loopback it is; of those forms only
 * IPv4-mapped and NAT64 reach a public IPv4 address, the deprecated ones are refused whatever they carry.
 */
export function refusalReason(ip: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(ip);
  } catch {
    return "not an IP address";
  }
  if (parsed.kind() === "ipv4") return ipv4Reason(parsed as ipaddr.IPv4);
  const embedded = embeddedIPv4(parsed as ipaddr.IPv6);
  for (const { ipv4, form } of embedded) {
    const reason = ipv4Reason(ipv4);
    if (reason !== undefined) return `${withArticle(form)} address carrying ${ipv4.toString()}, ${reason}`;
  }
  const deprecated = embedded.find((e) => !e.current);
  if (deprecated) return `${withArticle(deprecated.form)} address, a deprecated form`;
  if (embedded.length > 0) return undefined;
  const range = parsed.range();
  if (range === "unicast") return undefined;
  if (parsed.toNormalizedString() === "fd00:ec2:0:0:0:0:0:254") return "the cloud metadata address";
  return withArticle(words(range)) + " address";
}

function ipv4Reason(ip: ipaddr.IPv4): string | undefined {
  const range = ip.range();
  if (range === "unicast") return undefined;
  if (ip.toString() === "169.254.169.254") return "the cloud metadata address";
  return `${withArticle(words(range))} address`;
}

const words = (range: string): string => range.replace(/([A-Z])/g, " $1").toLowerCase();
const withArticle = (text: string): string => `${/^[aeiou]/i.test(text) ? "an" : "a"} ${text}`;

export class AddressRefused extends Error {
  override name = "AddressRefused";
}

/** Resolves a host to the one address a request will connect to, refusing any non-public answer. */
export class AddressGuard {
  readonly #allowPrivate: Set<string>;

  constructor(private readonly options: OutboundOptions = {}) {
    this.#allowPrivate = new Set((options.allowPrivate ?? []).map((a) => ipaddr.parse(a).toString()));
  }

  /** Throws AddressRefused naming the address and why, or a DNS error. */
  check(address: string, host: string): PinnedAddress {
    const family = isIP(address);
    if (family === 0) throw new AddressRefused(`${host} resolved to ${address}, which is not an IP address`);
    const reason = this.#allowPrivate.has(ipaddr.parse(address).toString())
      ? undefined
      : refusalReason(address);
    if (reason !== undefined) {
      const via = host === address ? address : `${host} resolves to ${address}`;
      throw new AddressRefused(
        `${via}, ${reason}: outbound requests may not go to loopback, private, link-local or metadata addresses, nor through deprecated IPv6 forms`,
      );
    }
    return { address, family: family as 4 | 6 };
  }

  /** Why `host` may not be reached when it is an IP literal (`[::7f00:1]`, `10.0.0.1`); undefined otherwise. */
  literalRefusal(host: string): string | undefined {
    const literal = host.startsWith("[") ? host.slice(1, -1) : host;
    if (!isIP(literal)) return undefined;
    try {
      this.check(literal, literal);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  async resolve(host: string): Promise<PinnedAddress> {
    const literal = host.startsWith("[") ? host.slice(1, -1) : host;
    if (isIP(literal)) return this.check(literal, literal);
    const addresses = this.options.resolve
      ? await this.options.resolve(host)
      : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    if (addresses.length === 0) throw new AddressRefused(`${host} has no addresses`);
    // Every answer must pass: a name with one public and one private address is refused outright.
    const pinned = addresses.map((a) => this.check(a, host));
    return pinned[0]!;
  }
}
