import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";
import { hostGrowth } from "./host-memory.js";

// Six concurrent host calls, each with a 24 MiB argument: before the host checked sizes before copying,
// each was copied whole out of the isolate onto the host's heap first (ten 50 MB secrets.set calls added
// 370-600 MB; ten of 100 MB crashed a server). Now the argument is measured where it lies and refused
// with RUNLET_ERR_PAYLOAD_TOO_LARGE without a byte being copied. The prelude's own checks are bypassed
// where it has any (String.prototype.slice patched), since the tenant can always do that.
const N = 6;
const SIZE = 24 * 1024 * 1024;
/** Host heap growth allowed while the attack runs: far below one copy of all N arguments (144 MiB). */
const HEAP_BOUND_MIB = 40;
/** Resident growth allowed: the isolate's own memoryMb (its copies are its own) plus slack. */
const MEMORY_MB = 512;
const RSS_BOUND_MIB = MEMORY_MB + 256;

const attack = (call: string) => `export default async (event, ctx) => {
  const big = "x".repeat(${SIZE});
  const settled = await Promise.allSettled(Array.from({ length: ${N} }, () => ${call}));
  return settled.map((s) => (s.status === "fulfilled" ? "accepted" : s.reason.code + " " + s.reason.name));
}`;

describe("hostile: oversized host-operation arguments are refused before they are copied", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena();
    await arena.attacker.deploy("leaf", `export default async () => "leaf"`);
    const allow = await arena.attacker.call("PUT", "/v1/accounts/{acct}/allowlist", {
      domains: ["api.example.com"],
    });
    assert.equal(allow.status, 200, allow.text);
  });
  after(() => arena.close());

  for (const [label, call, errorName] of [
    ["ctx.secrets.set", `ctx.secrets.set("token", big)`, "RangeError"],
    ["ctx.kv.set", `ctx.kv.set("blob", big)`, "RangeError"],
    ["a fetch body", `fetch("https://api.example.com/upload", { method: "POST", body: big })`, "TypeError"],
    ["a ctx.invoke payload", `ctx.invoke("leaf", big)`, "RangeError"],
  ] as const) {
    it(`${N} concurrent 24 MiB ${label} calls: each ${errorName} RUNLET_ERR_PAYLOAD_TOO_LARGE, host heap flat`, async () => {
      const { res, growth } = await hostGrowth(() =>
        attackWith(arena, attack(call), { memoryMb: MEMORY_MB, timeoutMs: 20_000 }),
      );
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, Array(N).fill(`RUNLET_ERR_PAYLOAD_TOO_LARGE ${errorName}`));
      assert.equal((await activationOf(arena, res)).status, "succeeded");
      assert.ok(growth.heapMiB < HEAP_BOUND_MIB, `host heap grew ${growth.heapMiB} MiB (${label})`);
      assert.ok(growth.rssMiB < RSS_BOUND_MIB, `host RSS grew ${growth.rssMiB} MiB (${label})`);
    });
  }

  it("the review's attack, ten concurrent 50 MB ctx.secrets.set calls, copies nothing", async () => {
    const { res, growth } = await hostGrowth(() =>
      attackWith(
        arena,
        `export default async (event, ctx) => {
          const big = "s".repeat(50_000_000);
          const settled = await Promise.allSettled(Array.from({ length: 10 }, () => ctx.secrets.set("t", big)));
          return settled.map((s) => s.reason?.code ?? "accepted");
        }`,
        { memoryMb: 256, timeoutMs: 20_000 },
      ),
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, Array(10).fill("RUNLET_ERR_PAYLOAD_TOO_LARGE"));
    assert.ok(growth.heapMiB < HEAP_BOUND_MIB, `host heap grew ${growth.heapMiB} MiB`);
    assert.ok(growth.rssMiB < 256 + 128, `host RSS grew ${growth.rssMiB} MiB`);
  });

  it(`${N} log lines of 24 MiB with the prelude's cut disabled are cut before the copy, host heap flat`, async () => {
    const { res, growth } = await hostGrowth(() =>
      attackWith(
        arena,
        `export default async () => {
          const big = "x".repeat(${SIZE});
          String.prototype.slice = function () { return String(this); };
          for (let i = 0; i < ${N}; i++) console.log(big);
          return "logged";
        }`,
        { memoryMb: MEMORY_MB, timeoutMs: 20_000 },
      ),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, "logged");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
    assert.equal(activation.logsTruncated, true);
    const kept = (activation.logs as { msg: string }[]).reduce((n, l) => n + l.msg.length, 0);
    assert.ok(kept <= 64 * 1024 + 1, `${kept} characters of log kept`);
    assert.ok(growth.heapMiB < HEAP_BOUND_MIB, `host heap grew ${growth.heapMiB} MiB (logs)`);
    assert.ok(growth.rssMiB < RSS_BOUND_MIB, `host RSS grew ${growth.rssMiB} MiB (logs)`);
  });

  it("an uncaught refusal is the function's failure: 502 function_error, recorded, saying what and how big", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => { await ctx.secrets.set("token", "x".repeat(${SIZE})); return "stored"; }`,
      { memoryMb: 128, timeoutMs: 20_000 },
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /ctx\.secrets\.set.*25165824 characters.*limit of 10000/);
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "function_error");
    const secrets = await arena.attacker.call("GET", "/v1/accounts/{acct}/secrets");
    assert.deepEqual(secrets.body.secrets, [], "nothing was stored");
  });
});
