import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import pg from "pg";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/store.js";

const pgUrl = process.env.RUNLET_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `runlet_locks_${randomBytes(6).toString("hex")}`;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const stores: [string, () => Promise<Store>][] = [
  [
    "sqlite",
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "runlet-locks-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return openSqliteStore(path.join(dir, "runlet.db"));
    },
  ],
  [
    "postgres",
    async () => {
      cleanups.push(async () => {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      });
      return openPostgresStore(pgUrl, { schema });
    },
  ],
];

for (const [dialect, open] of stores) {
  describe(`schedule firing locks on ${dialect}`, () => {
    const base = { account: "acme", function: "report", schedule: "k1", node: "n1", firedAt: 1 };

    it("claims a tick once; the newest tick is the last fired; unsubmitted and prune do what they say", async () => {
      const store = await open();
      cleanups.push(() => store.close());
      const repo = store.triggers;
      assert.equal(await repo.lastTick("acme", "report", "k1"), undefined);

      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => repo.claimTick({ ...base, tick: 1000, node: `n${i}` })),
      );
      assert.equal(results.filter(Boolean).length, 1, "one of ten concurrent claims lands");
      assert.equal(await repo.claimTick({ ...base, tick: 1000 }), false, "a repeat loses");
      assert.equal(await repo.claimTick({ ...base, tick: 1000, schedule: "k2" }), true, "another schedule");
      assert.equal(
        await repo.claimTick({ ...base, tick: 1000, function: "other" }),
        true,
        "another function",
      );
      assert.equal(await repo.claimTick({ ...base, tick: 2000, firedAt: 50 }), true);
      assert.equal(await repo.claimTick({ ...base, tick: 3000, firedAt: 100 }), true);
      assert.equal(await repo.lastTick("acme", "report", "k1"), 3000);

      await repo.setActivation({ ...base, tick: 1000 }, "act_1");
      await repo.setActivation({ ...base, tick: 1000, schedule: "k2" }, "act_2");
      await repo.setActivation({ ...base, tick: 1000, function: "other" }, "act_3");
      const stale = await repo.unsubmitted(60, 10);
      assert.deepEqual(
        stale.map((f) => f.tick),
        [2000],
        "claimed before 60 with no activation: only tick 2000 (3000 is too recent, 1000 submitted)",
      );
      const recent = await repo.recent("acme", "report", 10);
      assert.deepEqual(
        recent.map((f) => f.tick),
        [3000, 2000, 1000, 1000],
        "newest first",
      );
      assert.deepEqual(recent.map((f) => `${f.schedule}@${f.tick}=${f.activationId}`).sort(), [
        "k1@1000=act_1",
        "k1@2000=null",
        "k1@3000=null",
        "k2@1000=act_2",
      ]);

      assert.equal(await repo.prune(10_000), 2, "k1's 1000 and 2000 go; each schedule keeps its newest");
      assert.equal(await repo.lastTick("acme", "report", "k1"), 3000);
      assert.equal(await repo.lastTick("acme", "report", "k2"), 1000, "a lone firing is kept however old");
      assert.equal(await repo.lastTick("acme", "other", "k1"), 1000);
      assert.equal(
        await repo.claimTick({ ...base, tick: 3000 }),
        false,
        "the kept newest still locks its tick",
      );
    });
  });
}
