import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

// Bundled code that names `process` gets unenv's inert shim (for npm packages that read process.env); the
// attack is to reach the host's real process through it or around it.
describe("hostile: reaching the host's process object", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("finds only an inert shim: no host environment, pid, cwd, versions, bindings or exit", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        const attempt = (f) => { try { return f(); } catch (e) { return "throws"; } };
        return {
          onGlobal: "process" in globalThis,
          viaFunction: Function("return typeof process")(),
          env: Object.keys(process.env ?? {}),
          pid: process.pid ?? null,
          cwd: attempt(() => process.cwd()),
          versions: process.versions ?? null,
          binding: attempt(() => process.binding("fs")),
          dlopen: typeof process.dlopen,
          mainModule: typeof process.mainModule,
        };
      }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      onGlobal: false,
      viaFunction: "undefined",
      env: [],
      pid: null,
      cwd: "/",
      versions: {},
      binding: "throws",
      dlopen: "undefined",
      mainModule: "undefined",
    });
  });

  it("process.exit() fails only the invocation, as a function error; the platform stays up", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => { process.exit(1); return "still here"; }`,
    );
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /exit is not a function/);
    assert.equal((await activationOf(arena, res)).status, "function_error");
    assert.equal((await arena.t.call("GET", "/healthz", undefined, { key: null })).status, 200);
  });
});
