import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, openArena, underAttack, type Arena } from "./arena.js";

// JSON.parse takes 100,000 levels of `[[[…]]]` (200 KB, under every body limit); JSON.stringify's recursion
// cannot, and the routes that stored or queued such a body answered 500. Every body the server cannot
// serialise is now the sender's to fix: 400 RUNLET_ERR_JSON_TOO_DEEP.
const DEPTH = 100_000;
const DEEP = "[".repeat(DEPTH) + "]".repeat(DEPTH);
const JSON_HEADERS = { "content-type": "application/json" };

describe("hostile: deeply nested JSON bodies", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena();
    await arena.attacker.deploy("echo", `export default async (e) => e.payload`, {
      events: ["order.created"],
    });
  });
  after(() => arena.close());

  for (const [label, method, route] of [
    ["PUT …/kv/{namespace}/{key}", "PUT", "/v1/accounts/{acct}/kv/ns/deep"],
    ["an async invoke", "POST", "/v1/accounts/{acct}/functions/echo/invoke?async=true"],
    ["an event", "POST", "/v1/accounts/{acct}/events/order.created"],
  ] as const) {
    it(`${label} answers 400 RUNLET_ERR_JSON_TOO_DEEP and stores nothing`, async () => {
      const { res } = await underAttack(arena, async () => ({
        res: await arena.attacker.call(method, route, DEEP, JSON_HEADERS),
      }));
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_JSON_TOO_DEEP");
      assert.match(res.body.error.message, /nested too deeply.*send a flatter JSON value/);
    });
  }

  it("nothing was stored or queued by those", async () => {
    const kv = await arena.attacker.call("GET", "/v1/accounts/{acct}/kv/ns/deep");
    assert.equal(kv.status, 404, kv.text);
    await arena.t.platform.activations.flush();
    const list = await arena.attacker.call("GET", "/v1/accounts/{acct}/activations?function=echo");
    assert.deepEqual(list.body.activations, []);
  });

  it("a sync invoke answers 400 RUNLET_ERR_JSON_TOO_DEEP, and the activation records it as rejected", async () => {
    const { res } = await underAttack(arena, async () => ({
      res: await arena.attacker.call("POST", "/v1/accounts/{acct}/functions/echo/invoke", DEEP, JSON_HEADERS),
    }));
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_JSON_TOO_DEEP");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "rejected");
    assert.equal((activation.error as { code: string }).code, "RUNLET_ERR_JSON_TOO_DEEP");
  });
});
