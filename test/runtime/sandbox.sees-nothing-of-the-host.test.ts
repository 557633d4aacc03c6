import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { compileSource } from "../../src/runtime/compile.js";
import { Instance } from "../../src/runtime/instance.js";
import { SparePool } from "../../src/runtime/spares.js";

const PROBE = `export default async () => {
  const seen = {};
  const probe = (name, fn) => { try { seen[name] = String(fn()); } catch (e) { seen[name] = "throws: " + e.constructor.name; } };
  // Bundled code gets a polyfilled process (node-compat); it must hold nothing of the host's.
  probe("process", () => typeof process === "undefined" ? "undefined"
    : "polyfill:" + [process.title, Object.keys(process.env).length, (() => { try { process.binding("fs"); return "binding!"; } catch (e) { return "no binding"; } })()].join(","));
  probe("require", () => require(["f", "s"].join("")));
  probe("module", () => typeof module);
  // Likewise Buffer: a polyfill made of this isolate's own Uint8Array, not the host's.
  probe("Buffer", () => typeof Buffer === "undefined" ? "undefined" : "polyfill:" + (Buffer.from("x") instanceof Uint8Array));
  probe("host binding", () => typeof globalThis.__runlet_host);
  probe("ctor escape", () => (function () {}).constructor.constructor("return typeof process")());
  probe("globalThis keys", () => Object.keys(globalThis).filter((k) => !k.startsWith("__runlet")).sort().join(","));
  let dynamicImport;
  const specifier = ["node", "fs"].join(":");
  try { await import(specifier); dynamicImport = "loaded"; } catch (e) { dynamicImport = "throws"; }
  seen["import(node:fs)"] = dynamicImport;
  return seen;
}`;

describe("code in the isolate sees nothing of the host but the globals handed in", () => {
  let instance: Instance;
  before(async () => {
    instance = await Instance.start({
      code: await compileSource({ source: PROBE }),
      account: "a",
      name: "probe",
      version: 1,
      env: {},
      memoryMb: 32,
      logLines: 10,
      logBytes: 1000,
      responseBytes: 100_000,
      spares: new SparePool(0),
    });
  });
  after(() => instance.dispose());

  it("has no process, require, module, Buffer, host bindings or node built-ins", async () => {
    const out = await instance.invoke(
      {
        id: "act_probe",
        deadline: Date.now() + 5000,
        event: {
          id: "e",
          type: "t",
          source: "/s",
          time: new Date().toISOString(),
          payload: null,
          headers: [],
        },
      },
      5000,
    );
    assert.ok(out.status === "succeeded", out.status === "succeeded" ? "" : out.message);
    const seen = JSON.parse(out.answer.kind === "json" ? out.answer.body : "{}");
    assert.match(seen.process, /^(undefined|polyfill:unenv,0,no binding)$/);
    assert.match(seen.require, /^throws/, "require is at most the bundler's shim, which throws");
    assert.equal(seen.module, "undefined");
    assert.match(seen.Buffer, /^(undefined|polyfill:true)$/);
    assert.equal(seen["host binding"], "undefined");
    assert.equal(
      seen["ctor escape"],
      "undefined",
      "the Function constructor reaches only the isolate's own global",
    );
    assert.equal(seen["import(node:fs)"], "throws");
    assert.equal(
      seen["globalThis keys"],
      // The web globals (fetch, URL, …) are non-enumerable, as in browsers; test/runtime/web-globals.*
      // checks each of them. `gc` is V8's, non-configurable: the prelude takes it and leaves `undefined`
      // (sandbox/memory-limits.ts).
      "clearInterval,clearTimeout,gc,queueMicrotask,setInterval,setTimeout",
    );
  });
});
