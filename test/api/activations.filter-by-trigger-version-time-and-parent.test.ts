import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

// The console's activation filters and the ctx.invoke tree, through the HTTP API, on both stores.
for (const store of ["sqlite", "postgres"] as const) {
  describe(`GET …/activations filters (${store})`, () => {
    let t: TestPlatform;
    let schema: FreshSchema | undefined;
    let rootId: string;
    const list = async (query: string) => {
      const res = await t.call("GET", `/v1/accounts/${t.account}/activations?${query}`);
      assert.equal(res.status, 200, res.text);
      return res.body.activations as { id: string; function: string; trigger: string; version: number }[];
    };

    before(async () => {
      schema = store === "postgres" ? await freshSchema() : undefined;
      t = await startPlatform(schema ? { databaseUrl: schema.url } : {});
      await t.deploy("leaf", `export default async () => "leaf"`);
      await t.deploy(
        "mid",
        `export default async (e, ctx) => [await ctx.invoke("leaf"), await ctx.invoke("leaf")]`,
      );
      await t.deploy(
        "root",
        `export default async (e, ctx) => ({ me: ctx.activationId, mid: await ctx.invoke("mid") })`,
      );
      await t.deploy(
        "root",
        `export default async (e, ctx) => ({ me: ctx.activationId, v: 2, mid: await ctx.invoke("mid") })`,
      );
      const res = await t.invoke("root");
      assert.equal(res.status, 200, res.text);
      rootId = res.body.me;
      await t.platform.activations.flush();
    });
    after(async () => {
      await t.close();
      await schema?.drop();
    });

    it("?parentId= lists the activations one invoked, one level at a time", async () => {
      const children = await list(`parentId=${rootId}`);
      assert.deepEqual(
        children.map((a) => [a.function, a.trigger]),
        [["mid", "function"]],
      );
      const grandchildren = await list(`parentId=${children[0]!.id}`);
      assert.deepEqual(
        grandchildren.map((a) => a.function),
        ["leaf", "leaf"],
      );
      assert.deepEqual(await list(`parentId=${grandchildren[0]!.id}`), []);
    });

    it("?trigger= and ?version= keep only what matches", async () => {
      assert.deepEqual((await list("trigger=function")).map((a) => a.function).sort(), [
        "leaf",
        "leaf",
        "mid",
      ]);
      assert.deepEqual(
        (await list("trigger=http")).map((a) => a.id),
        [rootId],
      );
      assert.deepEqual((await list("function=root&version=1")).length, 0);
      assert.deepEqual(
        (await list("function=root&version=2")).map((a) => a.id),
        [rootId],
      );
    });

    it("?since=&until= is a half-open time range", async () => {
      const all = await list("limit=10");
      const future = new Date(Date.now() + 60_000).toISOString();
      assert.equal((await list(`since=2000-01-01T00:00:00Z&until=${future}`)).length, all.length);
      assert.deepEqual(await list(`until=2000-01-01T00:00:00Z`), []);
    });

    it("bad filters get a 400 that says what to send", async () => {
      const trigger = await t.call("GET", `/v1/accounts/${t.account}/activations?trigger=carrier-pigeon`);
      assert.equal(trigger.status, 400);
      assert.equal(trigger.body.error.code, "RUNLET_ERR_BAD_REQUEST");
      const range = await t.call(
        "GET",
        `/v1/accounts/${t.account}/activations?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z`,
      );
      assert.equal(range.status, 400);
      assert.equal(range.body.error.code, "RUNLET_ERR_BAD_REQUEST");
      assert.match(range.body.error.message, /send an until later than since/);
      const when = await t.call("GET", `/v1/accounts/${t.account}/activations?until=yesterday`);
      assert.equal(when.status, 400);
      assert.match(when.body.error.message, /ISO 8601/);
    });
  });
}
