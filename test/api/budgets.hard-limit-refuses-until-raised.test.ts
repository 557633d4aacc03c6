import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

for (const dialect of ["sqlite", "postgres"] as const) {
  describe(`a budget with hardLimit on ${dialect}`, () => {
    let t: TestPlatform;
    let schema: FreshSchema | undefined;
    before(async () => {
      schema = dialect === "postgres" ? await freshSchema() : undefined;
      t = await startPlatform({
        ...(schema ? { databaseUrl: schema.url } : {}),
        // One cost unit per activation record (as GET …/usage prices them), nothing for GB-seconds.
        config: { pricing: { perGbSecond: 0, perMillionInvocations: 1_000_000 } },
      });
      await t.deploy("one", "export default async () => 1");
      await t.deploy("two", "export default async () => 2");
    });
    after(async () => {
      await t.close();
      await schema?.drop();
    });

    it("refuses every function of the account once spent, and admits again when the budget is raised", async () => {
      const route = "/v1/accounts/default/budget";
      assert.equal((await t.call("PUT", route, { amount: 3, hardLimit: true })).status, 200);
      for (const name of ["one", "two", "one"]) assert.equal((await t.invoke(name)).status, 200);

      for (const name of ["one", "two"]) {
        const refused = await t.invoke(name);
        assert.equal(refused.status, 429, refused.text);
        assert.equal(refused.body.error.code, "RUNLET_ERR_BUDGET_EXCEEDED");
        assert.match(refused.body.error.message, /runlet budget set/);
        assert.ok(Number(refused.headers.get("retry-after")) > 0);
      }
      const spent = await t.call("GET", route);
      assert.equal(spent.body.exceeded, true);
      // The usage API's figure: refused invocations leave records too, which it prices.
      const usage = await t.call("GET", "/v1/accounts/default/usage");
      assert.equal(spent.body.spent, usage.body.total.cost);

      const raised = await t.call("PUT", route, { amount: 100, hardLimit: true });
      assert.equal(raised.status, 200);
      assert.equal(raised.body.exceeded, false);
      assert.equal((await t.invoke("two")).status, 200);
    });
  });
}
