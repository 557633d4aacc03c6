import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: reading or overwriting another account's secrets", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena();
    const put = await arena.neighbour.call("PUT", "/v1/accounts/{acct}/secrets/DB_PASSWORD", {
      value: "neighbour-only",
    });
    assert.ok(put.status === 200 || put.status === 201, put.text);
  });
  after(() => arena.close());

  it("ctx.secrets only ever sees the caller's own account, whatever key it names", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => {
        const out = {};
        for (const key of ["DB_PASSWORD", "neighbour/DB_PASSWORD", "../neighbour/DB_PASSWORD", "neighbour:DB_PASSWORD"]) {
          try { out[key] = (await ctx.secrets.get(key)) ?? "absent"; } catch (e) { out[key] = e.code ?? e.message; }
        }
        return out;
      }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.DB_PASSWORD, "absent", "the attacker's own account has no such secret");
    for (const key of ["neighbour/DB_PASSWORD", "../neighbour/DB_PASSWORD", "neighbour:DB_PASSWORD"]) {
      assert.notEqual(res.body[key], "neighbour-only", key);
      assert.equal(res.body[key], "RUNLET_ERR_INVALID_KEY", `${key} is not a valid key name`);
    }
  });

  it("ctx.secrets.set writes into the caller's account only; the neighbour's value stands", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => { await ctx.secrets.set("DB_PASSWORD", "pwned"); return await ctx.secrets.get("DB_PASSWORD"); }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, "pwned");
    const check = await attackWith(
      arena,
      `export default async (event, ctx) => ctx.secrets.get("DB_PASSWORD")`,
    );
    assert.equal(check.res.body, "pwned");
    const theirs = await arena.neighbour.call("GET", "/v1/accounts/{acct}/secrets");
    assert.equal(theirs.status, 200);
    assert.deepEqual(
      theirs.body.secrets.map((s: { key?: string; name?: string }) => s.key ?? s.name),
      ["DB_PASSWORD"],
    );
    const probe = `export default async (event, ctx) => ctx.secrets.get("DB_PASSWORD")`;
    await arena.neighbour.deploy("reader", probe);
    assert.equal((await arena.neighbour.invoke("reader")).body, "neighbour-only");
  });

  it("the attacker's key is refused on the neighbour's secrets API", async () => {
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { value: "x" }],
      ["DELETE", undefined],
    ] as const) {
      const route =
        method === "GET" ? "/v1/accounts/neighbour/secrets" : "/v1/accounts/neighbour/secrets/DB_PASSWORD";
      const res = await arena.attacker.call(method, route, body);
      assert.equal(res.status, 403, `${method} ${route}: ${res.text}`);
      assert.equal(res.body.error.code, "RUNLET_ERR_FORBIDDEN");
    }
  });
});
