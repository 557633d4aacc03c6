import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, openArena, underAttack, type Arena } from "./arena.js";
import { forging, installForgeDoor } from "./forge.js";

// An http-style function invoked through the JSON API answers Content-Type: application/json with a body
// that is not JSON. The function is at fault, not the caller: 502 RUNLET_ERR_INVALID_RESPONSE_JSON, the
// activation recorded, its concurrency slot freed (so the next call is not a 429) — never a 400.
describe("hostile: a non-JSON body typed as JSON", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena();
    installForgeDoor(arena);
  });
  after(() => arena.close());

  it("every call is a recorded 502 on both invoke paths, and the single slot is freed each time", async () => {
    await arena.attacker.deploy(
      "typed-json",
      `export default { fetch() {
        return new Response("{not json", { headers: { "content-type": "application/json; charset=utf-8" } });
      } }`,
      { concurrency: 1, maxInstances: 1 },
    );
    const { results } = await underAttack(arena, async () => {
      const results = [];
      for (const query of ["", "", "?version=1", "", "?version=1"]) {
        results.push(
          await arena.attacker.call("POST", `/v1/accounts/{acct}/functions/typed-json/invoke${query}`, {}),
        );
      }
      return { results };
    });
    for (const res of results) {
      assert.equal(res.status, 502, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_RESPONSE_JSON");
      assert.match(res.body.error.message, /Content-Type: application\/json but its body is not JSON/);
      const activation = await activationOf(arena, res);
      assert.equal(activation.status, "function_error");
      assert.deepEqual(activation.error, {
        code: "RUNLET_ERR_INVALID_RESPONSE_JSON",
        message: res.body.error.message,
      });
    }
    const ids = new Set(results.map((res) => res.body.error.activationId));
    assert.equal(ids.size, results.length, "each call has its own activation");
  });

  it("a forged JSON envelope whose text is not JSON is refused by the host the same way", async () => {
    await arena.attacker.deploy("forged-json", forging(`{ ok: true, kind: "json", body: "{not json" }`), {
      concurrency: 1,
      maxInstances: 1,
      timeoutMs: 3000,
    });
    const { results } = await underAttack(arena, async () => ({
      results: [await arena.attacker.invoke("forged-json"), await arena.attacker.invoke("forged-json")],
    }));
    for (const res of results) {
      assert.equal(res.status, 502, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_RESPONSE_JSON");
      assert.equal((await activationOf(arena, res)).status, "function_error");
    }
  });
});
