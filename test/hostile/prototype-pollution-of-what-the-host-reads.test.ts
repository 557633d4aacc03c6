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
    // The prelude captured JSON at boot: the patches cannot forge what the host receives. What is left is
    // the JSON semantics of the attacker's own value: its inherited toJSON makes it "hijacked".
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, "hijacked");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
    assert.equal(activation.result, "hijacked");
  });

  it("a then-able result or a poisoned Promise.prototype.then cannot hang or forge the outcome", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        Promise.prototype.then = function () { throw new Error("then is poisoned"); };
        return { then(resolve) { resolve({ resolvedBy: "the thenable" }); } };
      }`,
    );
    // The prelude's own promise plumbing was captured at boot, so the poisoned then changes nothing of
    // it; the async function's result is what its then-able resolved to (JavaScript's await semantics).
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { resolvedBy: "the thenable" });
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
  });
});
