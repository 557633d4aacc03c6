import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { fastQueue, waitFor } from "../queue/helpers.js";
import { activationOf, attackWith, openArena, underAttack, type Arena } from "./arena.js";

// An "internal" service listens on 127.0.0.1. The attacker tries to reach it (and the metadata address)
// through IPv6 forms that carry an IPv4 address: IPv4-compatible ::/96 above all ([::7f00:1] is
// 127.0.0.1), then NAT64, 6to4, Teredo, IPv4-translated and site-local. Both doors are tried: a
// function's fetch, and an async invocation's X-Callback-Url. A fake DNS lets a name point at such a form.
const DNS: Record<string, string[]> = {
  "compat.example.com": ["::7f00:1"],
  "nat64.example.com": ["64:ff9b::7f00:1"],
};

const PROBE = `export default async (event) => {
  try {
    const res = await fetch(event.payload.url);
    return { reached: res.status };
  } catch (err) {
    return { blocked: err instanceof TypeError, code: err.code, message: err.message };
  }
}`;

describe("hostile: IPv4-compatible and other IPv4-embedding IPv6 addresses, for fetch and X-Callback-Url", () => {
  let arena: Arena;
  let internal: Server;
  let hits = 0;
  let port = 0;

  before(async () => {
    internal = createServer((_req, res) => {
      hits += 1;
      res.end("internal");
    });
    await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
    port = (internal.address() as AddressInfo).port;
    arena = await openArena({
      platform: { outbound: { resolve: async (host) => DNS[host] ?? [] } },
      config: { queue: fastQueue({ callbackAttempts: 2, callbackRetryMs: 10 }) },
    });
    const allow = await arena.attacker.call("PUT", "/v1/accounts/{acct}/allowlist", {
      domains: ["*.example.com"],
    });
    assert.equal(allow.status, 200, allow.text);
    await arena.attacker.deploy("prober", PROBE, { timeoutMs: 5000 });
    await arena.attacker.deploy("echo", `export default async (e) => e.payload`);
  });
  after(async () => {
    await arena.close();
    await new Promise((resolve) => internal.close(resolve));
    assert.equal(hits, 0, "the internal service was never reached");
  });

  const probe = (url: string) =>
    underAttack(arena, async () => ({ res: await arena.attacker.invoke("prober", { url }) })).then(
      ({ res }) => {
        assert.equal(res.status, 200, res.text);
        return res.body as { reached?: number; blocked?: boolean; code?: string; message?: string };
      },
    );

  for (const [label, host, why] of [
    ["IPv4-compatible loopback", "[::7f00:1]", /IPv4-compatible address carrying 127\.0\.0\.1, a loopback/],
    ["IPv4-compatible loopback, dotted", "[::127.0.0.1]", /carrying 127\.0\.0\.1, a loopback/],
    ["IPv4-compatible metadata", "[::a9fe:a9fe]", /carrying 169\.254\.169\.254, the cloud metadata/],
    ["a name resolving to IPv4-compatible loopback", "compat.example.com", /::7f00:1, an IPv4-compatible/],
    ["NAT64 loopback", "[64:ff9b::7f00:1]", /NAT64 address carrying 127\.0\.0\.1/],
    ["a name resolving to NAT64 loopback", "nat64.example.com", /NAT64 address carrying 127\.0\.0\.1/],
    ["6to4 loopback", "[2002:7f00:1::]", /6to4 address carrying 127\.0\.0\.1/],
    ["Teredo loopback client", "[2001:0:4136:e378:8000:63bf:80ff:fffe]", /Teredo client address/],
    ["IPv4-translated loopback", "[::ffff:0:7f00:1]", /IPv4-translated address carrying 127\.0\.0\.1/],
    ["site-local", "[fec0::1]", /deprecated site local/],
  ] as const) {
    it(`fetch refuses ${label} with a TypeError RUNLET_ERR_FETCH_BLOCKED`, async () => {
      const out = await probe(`http://${host}:${port}/`);
      assert.equal(out.reached, undefined, JSON.stringify(out));
      assert.equal(out.blocked, true);
      assert.equal(out.code, "RUNLET_ERR_FETCH_BLOCKED");
      assert.match(String(out.message), why);
    });
  }

  it("an uncaught refusal fails the invocation (502) and the activation records it", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => (await fetch("http://[::7f00:1]:${port}/")).status`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /RUNLET_ERR_FETCH_BLOCKED|IPv4-compatible/);
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "function_error");
    const logs = (activation.logs as { msg: string }[]).map((l) => l.msg).join("\n");
    assert.match(logs, /IPv4-compatible address carrying 127\.0\.0\.1/);
  });

  it("an X-Callback-Url at a literal IPv4-compatible loopback is refused at submission (400)", async () => {
    const { res } = await underAttack(arena, async () => ({
      res: await arena.attacker.call(
        "POST",
        "/v1/accounts/{acct}/functions/echo/invoke?async=true",
        { a: 1 },
        { "x-callback-url": `http://[::7f00:1]:${port}/hook` },
      ),
    }));
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_CALLBACK_URL");
    assert.match(res.body.error.message, /IPv4-compatible address carrying 127\.0\.0\.1, a loopback/);
  });

  it("a callback to a name resolving to IPv4-compatible loopback runs, and its delivery fails for good", async () => {
    const { res } = await underAttack(arena, async () => ({
      res: await arena.attacker.call(
        "POST",
        "/v1/accounts/{acct}/functions/echo/invoke?async=true",
        { a: 2 },
        { "x-callback-url": `http://compat.example.com:${port}/hook` },
      ),
    }));
    assert.equal(res.status, 202, res.text);
    const id = res.body.activationId as string;
    const activation = await waitFor(`activation ${id} and its callback to end`, async () => {
      const got = await arena.attacker.call("GET", `/v1/accounts/{acct}/activations/${id}`);
      const callback = got.body?.callback as { status?: string } | undefined;
      return got.status === 200 && callback && callback.status !== "pending" ? got.body : undefined;
    });
    assert.equal(activation.status, "succeeded");
    assert.deepEqual(activation.result, { a: 2 });
    assert.equal(activation.callback.status, "failed");
    assert.equal(activation.callback.attempts, 1, "a refused address is not retried");
    assert.match(activation.callback.lastError, /IPv4-compatible address carrying 127\.0\.0\.1/);
  });
});
