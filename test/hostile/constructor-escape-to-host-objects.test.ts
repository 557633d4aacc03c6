import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: climbing constructor.constructor from everything the host hands in", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("every Function constructor reached is the isolate's own: no process, require or host global", async () => {
    const { res } = await attackWith(
      arena,
      `export default async (event, ctx) => {
        const roots = {
          fn: function () {},
          event, ctx, log: ctx.log, env: ctx.env, kv: ctx.kv, secrets: ctx.secrets, invoke: ctx.invoke,
          payload: event.payload, headers: event.headers, fetch: globalThis.fetch, setTimeout,
          promise: Promise.resolve(), error: new Error("x"),
        };
        const seen = {};
        for (const [name, root] of Object.entries(roots)) {
          try {
            const F = root.constructor.constructor;
            seen[name] = F("return [typeof process, typeof require, typeof global, typeof Buffer].join()")();
          } catch (e) { seen[name] = "throws " + e.constructor.name; }
        }
        // A host frame's "this" through V8's stack trace API.
        let frames = "none";
        Error.prepareStackTrace = (_, stack) => stack.map((s) => typeof s.getThis?.()).join();
        try { frames = new Error("x").stack; } catch { frames = "throws"; }
        return { seen, frames };
      }`,
      {},
      { a: 1 },
    );
    assert.equal(res.status, 200, res.text);
    for (const [name, value] of Object.entries(res.body.seen as Record<string, string>)) {
      assert.equal(value, "undefined,undefined,undefined,undefined", `${name}.constructor.constructor`);
    }
    assert.doesNotMatch(String(res.body.frames), /object.*process/);
  });
});
