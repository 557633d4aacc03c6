import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, openArena, underAttack, type Arena } from "./arena.js";
import { forgingWeb, installForgeDoor } from "./forge.js";

// A web function's response head is checked on the host, whatever the sandbox's Response and Headers
// were made to accept: status a whole number from 200 to 599, header names RFC 9110 tokens, values
// without CR, LF or NUL. Anything else is a recorded 502 with the code that names it, and nothing of the
// function's head goes out.
describe("hostile: response status out of range and invalid header names", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena();
    installForgeDoor(arena);
  });
  after(() => arena.close());

  async function getOnce(name: string, source: string) {
    await arena.attacker.deploy(name, source, { timeoutMs: 3000 });
    const { res } = await underAttack(arena, async () => ({
      res: await arena.attacker.call("GET", `/fn/{acct}/${name}/`),
    }));
    return res;
  }

  const cases: [string, string, string, string][] = [
    ["status-700", "700", "[]", "RUNLET_ERR_INVALID_RESPONSE_STATUS"],
    ["status-199", "199", "[]", "RUNLET_ERR_INVALID_RESPONSE_STATUS"],
    ["status-101", "101", `[["Upgrade", "websocket"]]`, "RUNLET_ERR_INVALID_RESPONSE_STATUS"],
    ["status-fraction", "200.5", "[]", "RUNLET_ERR_INVALID_RESPONSE_STATUS"],
    ["status-text", `"200"`, "[]", "RUNLET_ERR_INVALID_RESPONSE_STATUS"],
    ["name-space", "200", `[["X Bad", "1"]]`, "RUNLET_ERR_INVALID_RESPONSE_HEADER"],
    ["name-colon", "200", `[["X-Bad:", "1"]]`, "RUNLET_ERR_INVALID_RESPONSE_HEADER"],
    ["name-crlf", "200", `[["X-A\\r\\nSet-Cookie", "session=stolen"]]`, "RUNLET_ERR_INVALID_RESPONSE_HEADER"],
    [
      "value-crlf",
      "200",
      `[["X-A", "1\\r\\nSet-Cookie: session=stolen"]]`,
      "RUNLET_ERR_INVALID_RESPONSE_HEADER",
    ],
    ["value-nul", "200", `[["X-A", "1\\u0000"]]`, "RUNLET_ERR_INVALID_RESPONSE_HEADER"],
    ["value-wide", "200", `[["X-A", "\\u2028"]]`, "RUNLET_ERR_INVALID_RESPONSE_HEADER"],
    ["not-pairs", "200", `[["X-A", "1", "extra"]]`, "RUNLET_ERR_MALFORMED_ANSWER"],
    ["value-number", "200", `[["X-A", 1]]`, "RUNLET_ERR_MALFORMED_ANSWER"],
  ];
  for (const [name, status, headers, code] of cases) {
    it(`a forged head (${name}) is a recorded 502 ${code}`, async () => {
      const res = await getOnce(
        name,
        forgingWeb(`{ ok: true, kind: "http", status: ${status}, headers: ${headers}, body: "x" }`),
      );
      assert.equal(res.status, 502, res.text);
      assert.equal(res.body.error.code, code);
      assert.equal(res.headers.get("set-cookie"), null);
      assert.equal(res.headers.get("x-a"), null);
      const activation = await activationOf(arena, res);
      assert.equal(activation.status, "function_error");
      assert.deepEqual(activation.error, { code, message: res.body.error.message });
    });
  }

  it("a Headers made to accept any name (RegExp.prototype.test patched: name checks pass, value checks find nothing) still meets the host's check", async () => {
    const res = await getOnce(
      "patched-test",
      `RegExp.prototype.test = function () { return this.source.startsWith("^"); };
      export default { fetch() { return new Response("x", { headers: [["X Bad\\r\\nSet-Cookie", "session=stolen"]] }); } }`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_RESPONSE_HEADER");
    assert.equal(res.headers.get("set-cookie"), null);
    assert.equal((await activationOf(arena, res)).status, "function_error");
  });

  it("a streamed response's head is checked on the host the same way", async () => {
    const res = await getOnce(
      "streamed-head",
      `RegExp.prototype.test = function () { return this.source.startsWith("^"); };
      export default { async fetch() {
        const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("x")); c.close(); } });
        return new Response(body, { headers: [["X Bad", "1"]] });
      } }`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_RESPONSE_HEADER");
    assert.equal((await activationOf(arena, res)).status, "function_error");
  });

  it("a refused streamed head fails the invocation, whatever the function answers after it", async () => {
    const res = await getOnce(
      "forged-stream-head",
      `export default { async fetch(request, env, ctx) {
        __forge_call(ctx.activationId, "response.start", { status: 200, headers: [["X Bad", "1"]] });
        await new Promise((resolve) => setTimeout(resolve, 50));
        return new Response("fine");
      } }`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_RESPONSE_HEADER");
    assert.equal((await activationOf(arena, res)).status, "function_error");
  });

  it("an honest Response with a status past 599 fails inside the function, as a recorded 502", async () => {
    const res = await getOnce(
      "honest-700",
      `export default { fetch() { return new Response("x", { status: 700 }); } }`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /RangeError|status/);
    assert.equal((await activationOf(arena, res)).status, "function_error");
  });
});
