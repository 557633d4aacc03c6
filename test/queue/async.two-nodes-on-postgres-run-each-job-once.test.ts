import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import pg from "pg";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, invokeAsync, settled } from "./helpers.js";

const pgUrl = process.env.RUNLET_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

describe("async invocation with two nodes on one PostgreSQL", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("every job submitted to either node runs exactly once, claimed by one of them", async () => {
    const schema = `runlet_async_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    cleanups.push(async () => {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    });
    const url = new URL(pgUrl);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const nodes: TestPlatform[] = [];
    for (let i = 0; i < 2; i++) {
      const node = await startPlatform({ databaseUrl: url.toString(), config: { queue: fastQueue() } });
      cleanups.push(() => node.close());
      nodes.push(node);
    }
    const [a, b] = nodes as [TestPlatform, TestPlatform];
    await a.deploy("count", "export default async (e) => e.payload.n", { concurrency: 8 });

    const ids = await Promise.all(
      Array.from({ length: 200 }, async (_, n) => {
        const res = await invokeAsync(n % 2 ? a : b, "count", { n });
        assert.equal(res.status, 202, res.text);
        return [res.body.activationId as string, n] as const;
      }),
    );
    for (const [id, n] of ids) {
      const activation = await settled(n % 2 ? b : a, id);
      assert.equal(activation.status, "succeeded");
      assert.equal(activation.result, n);
      assert.equal(activation.attempts, 1, `${id} ran once`);
    }
    assert.equal(await a.platform.store.queue.pending(), 0);
  });
});
