import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openArena, type Arena } from "./arena.js";

// Trace ids are not secrets (a client sends them in traceparent, functions pass them on in fetch): an
// attacker who learns the neighbour's, or joins it on purpose, must still see only its own activations.
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e07aa11";
const PARENT = `export default async (event, ctx) => ({ child: await ctx.invoke("child", {}), me: ctx.activationId })`;
const CHILD = `export default async () => "secret result of the neighbour"`;

describe("hostile: another account's trace cannot be read, by its trace id nor by joining it", () => {
  let arena: Arena;
  let neighbourRoot = "";

  before(async () => {
    arena = await openArena();
    await arena.neighbour.deploy("parent", PARENT);
    await arena.neighbour.deploy("child", CHILD);
    const res = await arena.neighbour.call(
      "POST",
      "/v1/accounts/{acct}/functions/parent/invoke",
      {},
      {
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      },
    );
    assert.equal(res.status, 200, res.text);
    neighbourRoot = res.body.me;
    // The attacker joins the same trace with an invocation of its own.
    await arena.attacker.deploy("probe", `export default async () => "probe"`);
    const probe = await arena.attacker.call(
      "POST",
      "/v1/accounts/{acct}/functions/probe/invoke",
      {},
      {
        traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`,
      },
    );
    assert.equal(probe.status, 200, probe.text);
    await arena.t.platform.activations.flush();
  });
  after(() => arena.close());

  it("the attacker's view of the shared trace id holds its own activation only", async () => {
    const own = await arena.attacker.call("GET", `/v1/accounts/{acct}/traces/${TRACE_ID}`);
    assert.equal(own.status, 200, own.text);
    assert.equal(own.body.count, 1);
    assert.equal(own.body.roots[0].function, "probe");
    assert.doesNotMatch(own.text, /secret result|"function":"(parent|child)"/);
    // The neighbour sees its two and not the probe.
    const theirs = await arena.neighbour.call("GET", `/v1/accounts/{acct}/traces/${TRACE_ID}`);
    assert.equal(theirs.body.count, 2);
    assert.doesNotMatch(theirs.text, /probe/);
  });

  it("the neighbour's activation id names no trace in the attacker's account; its account's route is 403", async () => {
    const byId = await arena.attacker.call("GET", `/v1/accounts/{acct}/traces/${neighbourRoot}`);
    assert.equal(byId.status, 404, byId.text);
    assert.equal(byId.body.error.code, "RUNLET_ERR_TRACE_NOT_FOUND");
    const direct = await arena.attacker.call(
      "GET",
      `/v1/accounts/${arena.neighbour.account}/traces/${TRACE_ID}`,
    );
    assert.equal(direct.status, 403, direct.text);
  });
});
