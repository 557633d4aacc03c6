import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: import() of Node built-ins with a computed specifier", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  for (const builtin of ["fs", "child_process", "net", "worker_threads"]) {
    it(`import("node:${builtin}") rejects inside the function`, async () => {
      const { res } = await attackWith(
        arena,
        `export default async (event) => {
          try { const m = await import(["node", event.payload.m].join(":")); return { loaded: Object.keys(m) }; }
          catch (e) { return { refused: e.constructor.name, message: String(e.message) }; }
        }`,
        {},
        { m: builtin },
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.loaded, undefined, `node:${builtin} must not load`);
      assert.ok(res.body.refused, res.text);
    });
  }

  it("an unhandled import() failure is a function error", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => (await import(["node", "fs"].join(":"))).readFileSync("/etc/passwd", "utf8")`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
  });
});
