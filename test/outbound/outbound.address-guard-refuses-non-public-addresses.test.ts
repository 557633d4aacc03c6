import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AddressGuard, AddressRefused, refusalReason } from "../../src/security/outbound/address-guard.js";
import { allowingEntry, normalizeAllowlist } from "../../src/security/outbound/allowlist.js";
import { FetchCounters } from "../../src/security/outbound/limits.js";

describe("outbound address guard: only public unicast addresses", () => {
  it("refuses loopback, private, link-local, metadata, CGNAT, multicast, unspecified and tunnelled forms", () => {
    const refused: Record<string, RegExp> = {
      "127.0.0.1": /loopback/,
      "127.255.0.9": /loopback/,
      "10.1.2.3": /private/,
      "172.16.0.1": /private/,
      "192.168.0.1": /private/,
      "169.254.169.254": /metadata/,
      "169.254.1.1": /link local/,
      "100.64.0.1": /carrier grade nat/,
      "0.0.0.0": /unspecified/,
      "224.0.0.1": /multicast/,
      "255.255.255.255": /broadcast/,
      "192.0.2.1": /reserved/,
      "::1": /loopback/,
      "::": /unspecified/,
      "fe80::1": /link local/,
      "fc00::1": /unique local/,
      "fd00:ec2::254": /metadata/,
      "ff02::1": /multicast/,
      "::ffff:127.0.0.1": /loopback/,
      "::ffff:169.254.169.254": /metadata/,
      "::ffff:10.0.0.1": /private/,
      "64:ff9b::7f00:1": /NAT64 address carrying 127\.0\.0\.1, a loopback/,
      "64:ff9b:1:a00:1::": /NAT64 address carrying 10\.0\.1\.0, a private/,
      "2002:7f00:1::": /6to4 address carrying 127\.0\.0\.1, a loopback/,
      "2002:808:808::1": /6to4 address, a deprecated form/,
      "2001:0:4136:e378:8000:63bf:80ff:fffe": /Teredo client address carrying 127\.0\.0\.1, a loopback/,
      "2001:0:a00:1::": /Teredo server address carrying 10\.0\.0\.1, a private/,
      "::7f00:1": /IPv4-compatible address carrying 127\.0\.0\.1, a loopback/,
      "::a9fe:a9fe": /IPv4-compatible address carrying 169\.254\.169\.254, the cloud metadata/,
      "::a00:1": /IPv4-compatible address carrying 10\.0\.0\.1, a private/,
      "::808:808": /IPv4-compatible address, a deprecated form/,
      "::ffff:0:7f00:1": /IPv4-translated address carrying 127\.0\.0\.1, a loopback/,
      "fec0::1": /deprecated site local/,
      "2001:db8::1": /reserved/,
    };
    for (const [address, reason] of Object.entries(refused)) {
      assert.match(refusalReason(address) ?? "allowed", reason, address);
    }
    // IPv4-mapped and NAT64 (an IPv6-only network's way out) carrying a public address are that address.
    const allowed = ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"];
    for (const address of allowed) {
      assert.equal(refusalReason(address), undefined, address);
    }
  });

  it("checks every address a name resolves to, and the test-only hook lets exactly the listed ones through", async () => {
    const dns: Record<string, string[]> = {
      "public.example": ["93.184.216.34"],
      "rebind.example": ["93.184.216.34", "127.0.0.1"],
      "inside.example": ["10.0.0.7"],
      "local.example": ["127.0.0.1"],
    };
    const resolve = async (host: string) => dns[host] ?? [];
    const guard = new AddressGuard({ resolve });
    assert.deepEqual(await guard.resolve("public.example"), { address: "93.184.216.34", family: 4 });
    await assert.rejects(
      guard.resolve("rebind.example"),
      /rebind\.example resolves to 127\.0\.0\.1, a loopback/,
    );
    await assert.rejects(guard.resolve("inside.example"), AddressRefused);
    await assert.rejects(guard.resolve("[::1]"), /::1, a loopback address/);
    await assert.rejects(guard.resolve("nothing.example"), /no addresses/);

    const hatch = new AddressGuard({ resolve, allowPrivate: ["127.0.0.1"] });
    assert.deepEqual(await hatch.resolve("local.example"), { address: "127.0.0.1", family: 4 });
    await assert.rejects(hatch.resolve("inside.example"), AddressRefused);
    await assert.rejects(hatch.resolve("[::1]"), AddressRefused);
  });

  it("resolves real names with the system resolver (localhost is loopback)", async () => {
    await assert.rejects(
      new AddressGuard().resolve("localhost"),
      /localhost resolves to (127\.0\.0\.1|::1), a loopback/,
    );
  });
});

describe("allowlist entries", () => {
  it("normalises host names and wildcards", () => {
    assert.deepEqual(
      normalizeAllowlist([" API.Example.COM. ", "*.example.org", "bücher.example", "api.example.com"]),
      ["api.example.com", "*.example.org", "xn--bcher-kva.example"],
    );
  });

  it("refuses what is not a host name, with the reason", () => {
    const bad: Record<string, RegExp> = {
      "https://api.example.com": /host name only/,
      "api.example.com:443": /host name only/,
      "api.example.com/path": /host name only/,
      "1.2.3.4": /IP addresses/,
      "5": /IP addresses/,
      "0x7f.1": /IP addresses/,
      "*.com": /single label/,
      localhost: /single label/,
      "a.*.example.com": /first label/,
      "*": /first label/,
      "-bad.example.com": /not a valid host name/,
      "": /expected a host name/,
    };
    for (const [entry, reason] of Object.entries(bad)) {
      assert.throws(
        () => normalizeAllowlist([entry]),
        (err: { code?: string; message: string }) =>
          err.code === "RUNLET_ERR_INVALID_ALLOWLIST" && reason.test(err.message),
        entry,
      );
    }
    assert.throws(() => normalizeAllowlist("api.example.com"), { code: "RUNLET_ERR_INVALID_ALLOWLIST" });
    assert.throws(
      () => normalizeAllowlist(Array.from({ length: 101 }, (_, i) => `h${i}.example.com`)),
      /limit is 100/,
    );
  });

  it("a wildcard matches subdomains at any depth, not the apex or look-alikes", () => {
    const list = ["*.example.com", "api.other.org"];
    assert.equal(allowingEntry("a.example.com", list), "*.example.com");
    assert.equal(allowingEntry("A.B.Example.com.", list), "*.example.com");
    assert.equal(allowingEntry("example.com", list), undefined);
    assert.equal(allowingEntry("badexample.com", list), undefined);
    assert.equal(allowingEntry("api.other.org", list), "api.other.org");
    assert.equal(allowingEntry("x.api.other.org", list), undefined);
  });
});

describe("outbound counters", () => {
  it("cap requests per invocation, and per function per second in one-second windows", () => {
    let now = 10_000;
    const counters = new FetchCounters(() => now);
    for (let i = 0; i < 3; i++) assert.equal(counters.takeInvocation("a1", now + 1000, 3), true);
    assert.equal(counters.takeInvocation("a1", now + 1000, 3), false);
    assert.equal(counters.takeInvocation("a2", now + 1000, 3), true, "another invocation has its own count");

    for (let i = 0; i < 20; i++) assert.equal(counters.takeSecond("acct/fn", 20), true);
    assert.equal(counters.takeSecond("acct/fn", 20), false);
    assert.equal(counters.takeSecond("acct/other", 20), true, "another function has its own rate");
    now += 1000;
    assert.equal(counters.takeSecond("acct/fn", 20), true, "the next second starts afresh");
  });
});
