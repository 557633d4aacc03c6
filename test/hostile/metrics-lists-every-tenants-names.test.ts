import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openArena, underAttack, type Arena } from "./arena.js";

// /metrics labels carry every account's function names. With RUNLET_METRICS_TOKEN set, a tenant (with no
// credential, or with its own admin key) learns nothing of its neighbours from it.
const TOKEN = "prometheus-only-7f3c9a";

describe("hostile: reading other tenants' names from /metrics", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena({ config: { metricsToken: TOKEN } });
    const warm = await arena.neighbour.invoke("steady", { n: 1 });
    assert.equal(warm.status, 200, warm.text);
  });
  after(() => arena.close());

  for (const [label, key] of [
    ["with no credential", null],
    ["with the attacker's own admin key", "attacker"],
  ] as const) {
    it(`${label}: 401 RUNLET_ERR_UNAUTHENTICATED and no neighbour name`, async () => {
      const { res } = await underAttack(arena, async () => ({
        res: await arena.t.call("GET", "/metrics", undefined, {
          key: key === null ? null : arena.attacker.key,
        }),
      }));
      assert.equal(res.status, 401, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_UNAUTHENTICATED");
      assert.doesNotMatch(res.text, /steady|neighbour/);
    });
  }

  it("the scraper with the token still reads them", async () => {
    const res = await arena.t.call("GET", "/metrics", undefined, { key: TOKEN });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /function="steady"/);
  });
});
