import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";

// Two nodes on one PostgreSQL: a budget's spend is what both spent (one shared counter per budget and
// month), so its hard limit holds for both together, not once per node.
let db: FreshSchema;
let a: TestPlatform;
let b: TestPlatform;

before(async () => {
  db = await freshSchema("runlet_budgets");
  const options = {
    databaseUrl: db.url,
    config: {
      // One cost unit per invocation; the nodes flush only when asked (GET …/budget), never by the clock.
      pricing: { perGbSecond: 0, perMillionInvocations: 1_000_000 },
      access: { quotaFlushMs: 600_000 },
    },
  };
  a = await startPlatform(options);
  b = await startPlatform(options);
  await a.deploy("shared", "export default async () => 1");
});
after(async () => {
  await a?.close();
  await b?.close();
  await db.drop();
});

it("both nodes refuse once their spend together reaches the hard limit", async () => {
  const route = "/v1/accounts/default/functions/shared/budget";
  assert.equal((await a.call("PUT", route, { amount: 4, hardLimit: true })).status, 200);
  for (const node of [a, b, a, b]) assert.equal((await node.invoke("shared")).status, 200);

  // Each node adds what it counted to the shared counter and reads the total back.
  assert.equal((await a.call("GET", route)).body.spent, 2);
  assert.equal((await b.call("GET", route)).body.spent, 4);
  assert.equal((await a.call("GET", route)).body.spent, 4);

  for (const node of [a, b]) {
    const refused = await node.invoke("shared");
    assert.equal(refused.status, 429, refused.text);
    assert.equal(refused.body.error.code, "RUNLET_ERR_BUDGET_EXCEEDED");
  }
});
