import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activationOf, attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: a synchronous infinite loop", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("ends in 504 RUNLET_ERR_TIMEOUT at timeoutMs; the isolate is replaced and the function answers again", async () => {
    const source = `export default async (event) => { if (event.payload.spin) { for (;;) {} } return "fine"; }`;
    const { res } = await attackWith(arena, source, { timeoutMs: 500 }, { spin: true });
    assert.equal(res.status, 504, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_TIMEOUT");
    assert.match(res.body.error.message, /timeout of 500 ms/);
    assert.equal((await activationOf(arena, res)).status, "timeout");
    const name = String((await activationOf(arena, res)).function);
    const again = await arena.attacker.invoke(name, { spin: false });
    assert.equal(again.status, 200);
    assert.equal(again.body, "fine");
  });

  it("the metrics scrape does not wait for the spinning isolate", async () => {
    const source = `export default async () => { for (;;) {} }`;
    const name = "spin-scrape";
    await arena.attacker.deploy(name, source, { timeoutMs: 1500 });
    let loopAnswered = false;
    const spinning = arena.attacker.invoke(name).then((res) => {
      loopAnswered = true;
      return res;
    });
    await new Promise((r) => setTimeout(r, 200));
    const scrape = await arena.t.call("GET", "/metrics", undefined, { key: null });
    assert.equal(scrape.status, 200);
    assert.equal(loopAnswered, false, "/metrics answered while the loop was still spinning");
    assert.equal((await spinning).status, 504);
  });
});
