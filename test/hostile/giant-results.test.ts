import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: giant results", () => {
  let arena: Arena;
  before(async () => (arena = await openArena({ limits: { responseBytes: 1024 * 1024 } })));
  after(() => arena.close());

  it("a result past the response limit is refused with 502 RUNLET_ERR_RESULT_TOO_LARGE", async () => {
    const { res } = await attackWith(arena, `export default async () => "R".repeat(5 * 1024 * 1024)`, {
      memoryMb: 128,
    });
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_RESULT_TOO_LARGE");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "function_error");
    assert.equal(activation.result, null, "the oversized result is not stored");
  });

  it("a web function's oversized body is refused too", async () => {
    const name = "big-body";
    await arena.attacker.deploy(
      name,
      `export default { fetch() { return new Response("B".repeat(5 * 1024 * 1024)); } }`,
      {
        memoryMb: 128,
        timeoutMs: 3000,
      },
    );
    const res = await arena.attacker.call("GET", `/fn/{acct}/${name}/`);
    assert.ok(res.status >= 500 && res.status < 600 ? true : res.text.length <= 1024 * 1024, `${res.status}`);
    assert.ok(res.text.length <= 1024 * 1024 + 1024, `body of ${res.text.length} bytes went out`);
  });
});
