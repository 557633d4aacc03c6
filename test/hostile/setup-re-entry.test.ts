import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createSpare } from "../../src/runtime/spares.js";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

// The prelude's entry points (setup, batch, fire, reply) would let a tenant set itself up again with a
// limit of its choosing, run jobs of its own, fire timers or answer host calls. They never reach tenant
// code: the host takes them off the global object before the function's module loads.
const ENTRY_NAMES = `["__runlet_setup", "__runlet_batch", "__runlet_fire", "__runlet_reply", "__runlet_entries", "__runlet_host"]`;
const SETTINGS = `JSON.stringify({ account: "attacker", name: "x", version: 1, env: {}, logLines: 1e9, logBytes: 1e12, responseBytes: 1e12 })`;

describe("hostile: setup re-entry", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("no entry point is reachable while the module loads or when the handler runs; re-running setup is impossible", async () => {
    const { res } = await attackWith(
      arena,
      `const names = ${ENTRY_NAMES};
      const reachable = () => names.filter((n) => n in globalThis || globalThis[n] !== undefined);
      const leftovers = () => Object.getOwnPropertyNames(globalThis).filter((n) => n.startsWith("__runlet") && n !== "__runlet_module").sort();
      const atLoad = { reachable: reachable(), leftovers: leftovers() };
      function tryRerun() {
        for (const name of names) {
          const entry = globalThis[name];
          const setup = typeof entry === "function" ? entry : entry && entry.setup;
          if (typeof setup === "function") {
            try { setup(${SETTINGS}); return "re-ran setup through " + name; } catch (e) { return "refused: " + e.message; }
          }
        }
        return "unreachable";
      }
      const rerunAtLoad = tryRerun();
      export default async () => ({
        atLoad,
        rerunAtLoad,
        inHandler: { reachable: reachable(), leftovers: leftovers() },
        rerunInHandler: tryRerun(),
        big: "B".repeat(7 * 1024 * 1024).length,
      });`,
      { memoryMb: 64 },
    );
    assert.equal(res.status, 200, res.text.slice(0, 300));
    // What is left of the sandbox's own globals is what functions may use: the library loader (which
    // loads only the prebuilt libraries, each once), the current ctx (for the toolbelt) and crypto's
    // internals. None of them sets up, runs, fires or answers anything for the host.
    const leftovers = ["__runlet_context", "__runlet_crypto", "__runlet_define", "__runlet_load"];
    assert.deepEqual(res.body, {
      atLoad: { reachable: [], leftovers },
      rerunAtLoad: "unreachable",
      inHandler: { reachable: [], leftovers },
      rerunInHandler: "unreachable",
      big: 7 * 1024 * 1024,
    });
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
  });

  it("a function that gets the old limit to its answer still meets the host's 6 MiB limit", async () => {
    // Had setup run again with responseBytes 1e12, the prelude would pass this; the host would not.
    const { res } = await attackWith(arena, `export default async () => "B".repeat(7 * 1024 * 1024)`, {
      memoryMb: 128,
      timeoutMs: 5000,
    });
    assert.equal(res.status, 502, res.text.slice(0, 300));
    assert.equal(res.body.error.code, "RUNLET_ERR_RESULT_TOO_LARGE");
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "function_error");
  });

  it("even the host's own reference to setup refuses a second call", () => {
    const { isolate, context, entries } = createSpare(16);
    try {
      isolate.compileScriptSync(`var __runlet_module = { default: async () => null };`).runSync(context);
      const settings = `{"account":"a","name":"b","version":1,"env":{},"logLines":1,"logBytes":1,"responseBytes":1}`;
      assert.equal(entries.setup.applySync(undefined, [settings], { timeout: 1000 }), "event");
      assert.throws(
        () =>
          entries.setup.applySync(undefined, [settings.replace('"responseBytes":1', '"responseBytes":1e12')]),
        /set up already/,
      );
      assert.equal(context.global.getSync("__runlet_entries"), undefined);
    } finally {
      isolate.dispose();
    }
  });
});
