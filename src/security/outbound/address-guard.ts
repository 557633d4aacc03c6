import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

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
 * unspecified, multicast, broadcast, carrier-grade NAT, reserved, documentation, 6to4/Teredo/NAT64
 * tunnels. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function refusalReason(ip: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(ip);
  } catch {
    return "not an IP address";
  }
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  if (range === "unicast") return undefined;
  if (parsed.kind() === "ipv4" && parsed.toString() === "169.254.169.254")
    return "the cloud metadata address";
  if (parsed.kind() === "ipv6" && parsed.toNormalizedString() === "fd00:ec2:0:0:0:0:0:254") {
    return "the cloud metadata address";
  }
  const words = range.replace(/([A-Z])/g, " $1").toLowerCase();
  return `${/^[aeiou]/.test(words) ? "an" : "a"} ${words} address`;
}

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
        `${via}, ${reason}: functions may not reach loopback, private, link-local or metadata addresses`,
      );
    }
    return { address, family: family as 4 | 6 };
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
