import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, underAttack, type Arena } from "./arena.js";
import { forging, forgingWeb, installForgeDoor } from "./forge.js";

const MIB = 1024 * 1024;

// The response limit is the host's: counted on the bytes that crossed out of the isolate, as they go out
// (UTF-8), whatever the prelude said or was made to say. The default limit is 6 MiB.
describe("hostile: an oversized answer forged past the response limit", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena();
    installForgeDoor(arena);
  });
  after(() => arena.close());

  it("a forged 8 MiB JSON envelope is refused on the host with 502 RUNLET_ERR_RESULT_TOO_LARGE", async () => {
    const { res } = await attackWith(
      arena,
      forging(`{ ok: true, kind: "json", body: JSON.stringify("A".repeat(${8 * MIB})) }`),
      { memoryMb: 128, timeoutMs: 5000 },
    );
    assert.equal(res.status, 502, res.text.slice(0, 300));
    assert.equal(res.body.error.code, "RUNLET_ERR_RESULT_TOO_LARGE");
    assert.ok(res.text.length < 4096, "none of the answer went out");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "function_error");
    assert.equal(activation.result, null);
    assert.deepEqual(activation.error, {
      code: "RUNLET_ERR_RESULT_TOO_LARGE",
      message: res.body.error.message,
    });
  });

  it("a forged 8 MiB web response body (bytes) is refused the same way", async () => {
    const name = "forged-web-body";
    await arena.attacker.deploy(
      name,
      forgingWeb(`{ ok: true, kind: "http", status: 200, headers: [], body: new ArrayBuffer(${8 * MIB}) }`),
      { memoryMb: 128, timeoutMs: 5000 },
    );
    const { res } = await underAttack(arena, async () => ({
      res: await arena.attacker.call("GET", `/fn/{acct}/${name}/`),
    }));
    assert.equal(res.status, 502, res.text.slice(0, 300));
    assert.equal(res.body.error.code, "RUNLET_ERR_RESULT_TOO_LARGE");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "function_error");
  });

  it("an honest answer of 3 Mi characters that is 9 MiB of UTF-8 is counted in bytes, and refused", async () => {
    const { res } = await attackWith(arena, `export default async () => "€".repeat(${3 * MIB})`, {
      memoryMb: 128,
      timeoutMs: 5000,
    });
    assert.equal(res.status, 502, res.text.slice(0, 300));
    assert.equal(res.body.error.code, "RUNLET_ERR_RESULT_TOO_LARGE");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "function_error");
  });
});
