import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, underAttack, type Arena } from "./arena.js";

// The only address let through is a decoy "public" server on 127.0.0.3 (via the code-only test hook); the
// platform itself listens on 127.0.0.1, which stays refused like every other loopback, private, link-local
// and metadata address. Host names resolve through a fake DNS so a name can point anywhere.
const DECOY = "127.0.0.3";
const DNS: Record<string, string[]> = {
  "decoy.example.com": [DECOY],
  "rebind.example.com": ["127.0.0.1"],
  "mixed.example.com": ["93.184.216.34", "10.0.0.7"],
  "metadata.example.com": ["169.254.169.254"],
};

const PROBE = `export default async (event) => {
  try {
    const res = await fetch(event.payload.url, { redirect: event.payload.redirect ?? "follow" });
    return { reached: res.status, body: (await res.text()).slice(0, 200) };
  } catch (err) {
    return { blocked: err instanceof TypeError, code: err.code, message: err.message };
  }
}`;

describe("hostile: fetch to loopback, metadata and private addresses, directly, by name or by redirect", () => {
  let arena: Arena;
  let decoy: Server;
  let platformPort: number;

  before(async () => {
    decoy = createServer((req, res) => {
      const to = new URL(req.url ?? "/", "http://x").searchParams.get("to");
      if (to) res.writeHead(302, { location: to }).end();
      else res.end("decoy");
    });
    await new Promise<void>((resolve) => decoy.listen(0, DECOY, resolve));
    arena = await openArena({
      platform: { outbound: { allowPrivate: [DECOY], resolve: async (host) => DNS[host] ?? [] } },
    });
    platformPort = Number(new URL(arena.t.url).port);
    const allow = await arena.attacker.call("PUT", "/v1/accounts/{acct}/allowlist", {
      domains: ["*.example.com"],
    });
    assert.equal(allow.status, 200, allow.text);
    await arena.attacker.deploy("prober", PROBE, { timeoutMs: 5000 });
  });
  after(async () => {
    await arena.close();
    await new Promise((resolve) => decoy.close(resolve));
  });

  /** One deployed prober, invoked under attack conditions (the neighbour running alongside). */
  const probe = (url: string) =>
    underAttack(arena, async () => ({ res: await arena.attacker.invoke("prober", { url }) })).then(
      ({ res }) => {
        assert.equal(res.status, 200, res.text);
        return res.body as { reached?: number; blocked?: boolean; code?: string; message?: string };
      },
    );

  it("the decoy itself is reachable (the probe works)", async () => {
    const port = (decoy.address() as AddressInfo).port;
    assert.deepEqual(await probe(`http://decoy.example.com:${port}/`), { reached: 200, body: "decoy" });
  });

  for (const [label, url, why] of [
    ["the platform on 127.0.0.1", () => `http://127.0.0.1:${platformPort}/healthz`, /loopback|allowlist/],
    [
      "the metadata address",
      () => "http://169.254.169.254/latest/meta-data/",
      /metadata|link-local|allowlist/,
    ],
    ["[::1]", () => `http://[::1]:${platformPort}/healthz`, /loopback|allowlist/],
    ["localhost", () => `http://localhost:${platformPort}/healthz`, /allowlist|loopback/],
    ["0.0.0.0", () => `http://0.0.0.0:${platformPort}/healthz`, /allowlist|unspecified|not a public/],
    ["127.1 in decimal", () => `http://2130706433:${platformPort}/healthz`, /allowlist|loopback/],
    [
      "a v4-mapped v6 loopback",
      () => `http://[::ffff:127.0.0.1]:${platformPort}/`,
      /allowlist|loopback|mapped/,
    ],
    [
      "an allowlisted name resolving to loopback",
      () => `http://rebind.example.com:${platformPort}/healthz`,
      /127\.0\.0\.1/,
    ],
    [
      "an allowlisted name resolving to the metadata address",
      () => "http://metadata.example.com/",
      /169\.254\.169\.254/,
    ],
    ["a name with one public and one private address", () => "http://mixed.example.com/", /10\.0\.0\.7/],
  ] as const) {
    it(`refuses ${label} with a TypeError RUNLET_ERR_FETCH_BLOCKED`, async () => {
      const out = await probe(url());
      assert.equal(out.reached, undefined, `reached ${label}: ${JSON.stringify(out)}`);
      assert.equal(out.blocked, true);
      assert.equal(out.code, "RUNLET_ERR_FETCH_BLOCKED");
      assert.match(String(out.message), why);
    });
  }

  for (const [label, target, why] of [
    ["the metadata address", "http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254/],
    ["the platform on 127.0.0.1", () => `http://127.0.0.1:${platformPort}/healthz`, /127\.0\.0\.1/],
    ["a name resolving to loopback", () => `http://rebind.example.com:${platformPort}/`, /127\.0\.0\.1/],
  ] as const) {
    it(`refuses a redirect from the allowed decoy into ${label}`, async () => {
      const port = (decoy.address() as AddressInfo).port;
      const to = typeof target === "string" ? target : target();
      const out = await probe(`http://decoy.example.com:${port}/?to=${encodeURIComponent(to)}`);
      assert.equal(out.reached, undefined, JSON.stringify(out));
      assert.equal(out.code, "RUNLET_ERR_FETCH_BLOCKED");
      assert.match(String(out.message), why);
    });
  }

  it("an uncaught refusal fails the invocation and the activation records it", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => (await fetch("http://169.254.169.254/")).status`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /RUNLET_ERR_FETCH_BLOCKED|169\.254\.169\.254/);
    assert.equal((await activationOf(arena, res)).status, "function_error");
  });
});
