import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: reading or writing another account's kv entries", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena();
    const put = await arena.neighbour.call("PUT", "/v1/accounts/{acct}/kv/default/balance", { cents: 4200 });
    assert.ok(put.status === 200 || put.status === 201, put.text);
  });
  after(() => arena.close());

  it("ctx.kv in every namespace spelling sees only the caller's own account", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => {
        const out = { plain: (await ctx.kv.get("balance")) ?? "absent", list: (await ctx.kv.list()).keys };
        for (const ns of ["neighbour", "neighbour/default", "../neighbour/default", "default/../neighbour"]) {
          try { out[ns] = (await ctx.kv.namespace(ns).get("balance")) ?? "absent"; } catch (e) { out[ns] = e.code ?? e.message; }
        }
        return out;
      }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.plain, "absent");
    assert.deepEqual(res.body.list, []);
    assert.equal(res.body.neighbour, "absent", "a namespace named after the account is the attacker's own");
    for (const ns of ["neighbour/default", "../neighbour/default", "default/../neighbour"]) {
      assert.notDeepEqual(res.body[ns], { cents: 4200 }, ns);
      assert.equal(res.body[ns], "RUNLET_ERR_INVALID_KEY", `${ns} is not a valid namespace`);
    }
  });

  it("writes land in the caller's account; the neighbour's entry stands", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => { await ctx.kv.set("balance", { cents: 0 }); return ctx.kv.get("balance"); }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { cents: 0 });
    const theirs = await arena.neighbour.call("GET", "/v1/accounts/{acct}/kv/default/balance");
    assert.equal(theirs.status, 200);
    assert.deepEqual(theirs.body, { cents: 4200 });
  });

  it("the attacker's key is refused on the neighbour's kv API", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await arena.attacker.call(
        method,
        "/v1/accounts/neighbour/kv/default/balance",
        method === "PUT" ? { cents: 1 } : undefined,
      );
      assert.equal(res.status, 403, `${method}: ${res.text}`);
      assert.equal(res.body.error.code, "RUNLET_ERR_FORBIDDEN");
    }
  });
});
