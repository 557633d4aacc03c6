import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: prototype pollution of what the host reads back", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("a result carrying __proto__ and constructor.prototype keys pollutes nothing on the host", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        Object.prototype.isAdmin = true;
        Array.prototype.injected = "x";
        return JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"isAdmin": true}}, "ok": 1}');
      }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.ok, 1);
    assert.ok(Object.hasOwn(res.body, "__proto__"), "__proto__ came back as plain data");
    const probe: Record<string, unknown> = {};
    assert.equal(probe.isAdmin, undefined, "the test process's Object.prototype is clean");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    // The platform's own objects were not polluted either: its next answers carry no such key.
    const fn = await arena.attacker.call("GET", "/v1/accounts/{acct}/functions");
    assert.equal(JSON.stringify(fn.body).includes("isAdmin"), false);
  });

  it("overriding JSON, Promise.prototype.then and toJSON inside the isolate only breaks the attacker's own answer", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        JSON.stringify = () => '{"forged": true}';
        JSON.parse = () => ({ forged: true });
        Object.prototype.toJSON = function () { return "hijacked"; };
        return { honest: true };
      }`,
    );
    // Whatever the attacker's own result became, it is its own: the platform answers with a well-formed
    // outcome and the neighbour (asserted by attackWith) is untouched.
    assert.ok([200, 502].includes(res.status), res.text);
    if (res.status === 502) assert.match(res.body.error.code, /^RUNLET_ERR_(FUNCTION_ERROR|INVALID_RESULT)$/);
    const activation = await activationOf(arena, res);
    assert.ok(["succeeded", "function_error"].includes(String(activation.status)));
  });

  it("a then-able result or a poisoned Promise.prototype.then cannot hang or forge the outcome", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        Promise.prototype.then = function () { throw new Error("then is poisoned"); };
        return { then(resolve) { resolve({ forged: true }); } };
      }`,
    );
    assert.notEqual(res.status, 200, `a poisoned promise must not forge a success: ${res.text}`);
    assert.ok(res.body.error.code, res.text);
  });
});
