import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: invoking another account's function", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("ctx.invoke resolves names in the caller's own account only", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => {
        const out = {};
        for (const name of ["steady", "neighbour/steady", "../neighbour/steady", "/fn/neighbour/steady"]) {
          try { out[name] = { answered: await ctx.invoke(name, { n: 1 }) }; } catch (e) { out[name] = e.code ?? e.message; }
        }
        return out;
      }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(
      res.body.steady,
      "RUNLET_ERR_FUNCTION_NOT_FOUND",
      "'steady' is looked up in the attacker's account",
    );
    for (const name of ["neighbour/steady", "../neighbour/steady", "/fn/neighbour/steady"]) {
      assert.equal(res.body[name], "RUNLET_ERR_INVALID_NAME", name);
    }
  });

  it("the attacker's key is refused on the neighbour's invoke and web routes", async () => {
    const invoke = await arena.attacker.call("POST", "/v1/accounts/neighbour/functions/steady/invoke", {
      n: 1,
    });
    assert.equal(invoke.status, 403, invoke.text);
    assert.equal(invoke.body.error.code, "RUNLET_ERR_FORBIDDEN");
    const web = await arena.attacker.call("GET", "/fn/neighbour/steady/");
    assert.equal(web.status, 403, web.text);
  });
});
