import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// The isolate's JSON.stringify counts what it writes (sandbox/json-bound.ts): the same text as V8's own for
// every argument form, toJSON and getters run once, and a text past the function's memory is refused
// before it is built.
const CASES = `
  let toJsonCalls = 0;
  let getterCalls = 0;
  const withToJson = { toJSON(key) { toJsonCalls++; return { key, n: 1 }; } };
  const withGetter = { get g() { getterCalls++; return "got"; } };
  const data = { b: 2, a: [1, "two", null, true, { c: undefined, d: () => 1 }], e: "é\\u2028\\n", z: 1e21 };
  const out = {
    plain: JSON.stringify(data),
    spaced: JSON.stringify(data, null, 2),
    tabbed: JSON.stringify(data, undefined, "\\t"),
    fn: JSON.stringify(data, function (k, v) { return typeof v === "number" ? v * 10 : v; }),
    list: JSON.stringify({ a: 1, b: { a: 2, c: 3 }, c: 4 }, ["c", "a", "a", 7]),
    listInherited: JSON.stringify(Object.create({ inherited: 1 }), ["inherited"]),
    toJson: JSON.stringify({ x: withToJson, y: [withToJson] }),
    getter: JSON.stringify(withGetter),
    top: [JSON.stringify("s"), JSON.stringify(1), JSON.stringify(undefined), JSON.stringify(() => 1)],
    date: JSON.stringify(new Date(0)),
  };
  out.toJsonCalls = toJsonCalls;
  out.getterCalls = getterCalls;
  return out;
`;

function expected(): Record<string, unknown> {
  let toJsonCalls = 0;
  let getterCalls = 0;
  const withToJson = {
    toJSON(key: string) {
      toJsonCalls++;
      return { key, n: 1 };
    },
  };
  const withGetter = {
    get g() {
      getterCalls++;
      return "got";
    },
  };
  const data = { b: 2, a: [1, "two", null, true, { c: undefined, d: () => 1 }], e: "é\u2028\n", z: 1e21 };
  const out: Record<string, unknown> = {
    plain: JSON.stringify(data),
    spaced: JSON.stringify(data, null, 2),
    tabbed: JSON.stringify(data, undefined, "\t"),
    fn: JSON.stringify(data, (_k, v: unknown) => (typeof v === "number" ? v * 10 : v)),
    list: JSON.stringify({ a: 1, b: { a: 2, c: 3 }, c: 4 }, ["c", "a", "a", 7] as (string | number)[]),
    listInherited: JSON.stringify(Object.create({ inherited: 1 }), ["inherited"]),
    toJson: JSON.stringify({ x: withToJson, y: [withToJson] }),
    getter: JSON.stringify(withGetter),
    top: [JSON.stringify("s"), JSON.stringify(1), JSON.stringify(undefined), JSON.stringify(() => 1)],
    date: JSON.stringify(new Date(0)),
  };
  out.toJsonCalls = toJsonCalls;
  out.getterCalls = getterCalls;
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

describe("JSON.stringify inside the isolate", () => {
  let p: TestPlatform;
  before(async () => {
    p = await startPlatform();
  });
  after(() => p.close());

  it("writes the same text as V8's own for every argument form, running toJSON and getters once", async () => {
    await p.deploy("same", `export default async () => { ${CASES} };`);
    const res = await p.invoke("same");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, expected());
  });

  it("a text longer than the function's memory is refused before it is built (resource_exceeded)", async () => {
    await p.deploy(
      "wide",
      `export default async () => {
        let node = { leaf: "z".repeat(1000) };
        for (let i = 0; i < 40; i++) node = { a: node, b: node };
        return JSON.stringify(node).length;
      }`,
      { memoryMb: 16 },
    );
    const res = await p.invoke("wide");
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_MEMORY_LIMIT");
    const activation = await p.call(
      "GET",
      `/v1/accounts/${p.account}/activations/${res.body.error.activationId}`,
    );
    assert.equal(activation.body.status, "resource_exceeded");
  });

  it("a result whose text would pass the response limit is refused without building it", async () => {
    await p.deploy(
      "shared",
      `export default async () => {
        let node = { leaf: "q".repeat(100) };
        for (let i = 0; i < 40; i++) node = { a: node, b: node };
        return node;
      }`,
      { memoryMb: 16 },
    );
    const res = await p.invoke("shared");
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_RESULT_TOO_LARGE");
  });

  it("a tenant's replacer that throws still reaches the tenant as its own error", async () => {
    await p.deploy(
      "thrower",
      `export default async () => {
        try { JSON.stringify({ a: 1 }, () => { throw new TypeError("mine"); }); }
        catch (e) { return e.name + ": " + e.message; }
      }`,
    );
    const res = await p.invoke("thrower");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body, "TypeError: mine");
  });
});
