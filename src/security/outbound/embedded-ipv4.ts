import ipaddr from "ipaddr.js";

/** An IPv4 address an IPv6 form carries, and what that form is called. */
export interface Embedded {
  ipv4: ipaddr.IPv4;
  form: string;
  /** The form is a working way to reach that IPv4 address today (mapped, NAT64), not a deprecated one. */
  current: boolean;
}

const v4 = (a: number, b: number, c: number, d: number) =>
  new ipaddr.IPv4([a & 255, b & 255, c & 255, d & 255]);
const fromWords = (hi: number, lo: number) => v4(hi >> 8, hi, lo >> 8, lo);

/**
 * The IPv4 addresses an IPv6 address carries, in every form that embeds one: IPv4-mapped (::ffff:0:0/96),
 * IPv4-compatible (::/96, deprecated by RFC 4291), IPv4-translated (::ffff:0:0:0/96, RFC 6145), NAT64
 * (64:ff9b::/96 and the local-use 64:ff9b:1::/48 of RFC 8215, laid out as RFC 6052 says), 6to4
 * (2002::/16) and Teredo (2001::/32: the server, and the client stored inverted). `::` and `::1` are not
 * embeddings: they are the IPv6 unspecified and loopback addresses.
 */
export function embeddedIPv4(ip: ipaddr.IPv6): Embedded[] {
  const w = ip.parts as number[];
  const zeros = (from: number, to: number) => w.slice(from, to).every((word) => word === 0);
  switch (ip.range()) {
    case "ipv4Mapped":
      return [{ ipv4: fromWords(w[6]!, w[7]!), form: "IPv4-mapped", current: true }];
    case "rfc6145":
      return [{ ipv4: fromWords(w[6]!, w[7]!), form: "IPv4-translated", current: false }];
    case "rfc6052":
      return w[2] === 1
        ? [{ ipv4: v4(w[3]! >> 8, w[3]!, w[4]!, w[5]! >> 8), form: "NAT64", current: true }]
        : [{ ipv4: fromWords(w[6]!, w[7]!), form: "NAT64", current: true }];
    case "6to4":
      return [{ ipv4: fromWords(w[1]!, w[2]!), form: "6to4", current: false }];
    case "teredo":
      return [
        { ipv4: fromWords(w[2]!, w[3]!), form: "Teredo server", current: false },
        { ipv4: fromWords(~w[6]!, ~w[7]!), form: "Teredo client", current: false },
      ];
    default:
      if (zeros(0, 6) && !(w[6] === 0 && (w[7] === 0 || w[7] === 1))) {
        return [{ ipv4: fromWords(w[6]!, w[7]!), form: "IPv4-compatible", current: false }];
      }
      return [];
  }
}
