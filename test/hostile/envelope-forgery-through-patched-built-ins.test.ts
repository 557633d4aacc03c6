import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

// The tenant patches every built-in the prelude's answer path used to reach at call time, so that a
// prelude using them would send the host a forged envelope (an 8 MiB answer, another status, framing
// headers). The prelude captured what it needs at boot (sandbox/primordials.ts): the host receives the
// function's own, honest answer.
const PATCHES = `
  const FORGED = { ok: true, kind: "http", status: 299, headers: [["Transfer-Encoding", "chunked"]], body: "F".repeat(8 * 1024 * 1024) };
  const looksLikeEnvelope = (v) => v !== null && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, "ok");
  const push = Array.prototype.push;
  Array.prototype.push = function (...items) {
    return push.apply(this, items.map((item) => (Array.isArray(item) && item.length === 2 ? [item[0], FORGED] : item)));
  };
  const then = Promise.prototype.then;
  Promise.prototype.then = function (onFulfilled, onRejected) {
    return then.call(this, (v) => (typeof onFulfilled === "function" ? onFulfilled(looksLikeEnvelope(v) ? FORGED : v) : v), onRejected);
  };
  Object.defineProperty(Object.prototype, "then", {
    configurable: true,
    get() { return looksLikeEnvelope(this) ? (resolve) => resolve(FORGED) : undefined; },
  });
  const stringify = JSON.stringify;
  JSON.stringify = (v, ...rest) => (looksLikeEnvelope(v) || (v && v.honest) ? stringify(FORGED) : stringify(v, ...rest));
  JSON.parse = () => ({ responseBytes: 1e12, logLines: 1e9, logBytes: 1e12 });
  Object.setPrototypeOf = (o) => o;
  Object.freeze = (o) => o;
  Array.isArray = () => true;
  Object.fromEntries = () => ({ forged: true });
`;

describe("hostile: envelope forgery through patched built-ins", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("patches made while the module loads do not change the answer the host receives", async () => {
    const { res } = await attackWith(
      arena,
      `${PATCHES}
      export default async () => ({ honest: true, n: [1, 2, 3].length });`,
      { memoryMb: 64 },
    );
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.deepEqual(res.body, { honest: true, n: 3 });
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
    assert.deepEqual(activation.result, { honest: true, n: 3 });
  });

  it("patches made inside the handler, before it answers, do not either", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        ${PATCHES}
        return { honest: true, n: 2 };
      }`,
      { memoryMb: 64 },
    );
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.deepEqual(res.body, { honest: true, n: 2 });
    const activation = await activationOf(arena, res);
    assert.equal(activation.status, "succeeded");
  });
});
