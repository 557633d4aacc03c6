import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { sql } from "kysely";
import type { Checkpointer } from "../../src/store/sqlite/checkpointer.js";
import { connectSqlite } from "../../src/store/sqlite/connect.js";

const MiB = 1024 * 1024;

// SQLite's automatic checkpoint ran inside a commit on the server's main thread (two fsyncs and the copy);
// the connection turns it off and a worker thread checkpoints instead. Without that thread the WAL would
// only grow: this writes 12 MiB in rounds and the WAL stays near one round's size.
describe("SQLite checkpoints", () => {
  it("run beside the connection: its own are off, the WAL is copied into the database and reused", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "runlet-ckpt-"));
    const file = path.join(dir, "runlet.db");
    const db = await connectSqlite(file);
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
      assert.equal(rows[0]?.wal_autocheckpoint, 0, "no checkpoint inside a commit");
      await sql`create table blobs (id integer primary key, data blob)`.execute(db);
      const chunk = Buffer.alloc(64 * 1024, 7);
      let largestWal = 0;
      for (let round = 0; round < 6; round++) {
        for (let i = 0; i < 32; i++) await sql`insert into blobs (data) values (${chunk})`.execute(db);
        largestWal = Math.max(largestWal, (await stat(`${file}-wal`)).size);
        await new Promise((resolve) => setTimeout(resolve, 1300)); // a checkpoint period passes
      }
      assert.ok(
        largestWal < 6 * MiB,
        `the WAL grew to ${(largestWal / MiB).toFixed(1)} MiB for 12 MiB written`,
      );

      const checkpointer = (db.getExecutor().adapter as { checkpointer?: Checkpointer }).checkpointer;
      assert.ok(checkpointer, "a file database has a checkpointer");
      const report = await checkpointer.checkpoint();
      assert.equal(report.ok, true, report.message);
      assert.equal(report.checkpointed, report.log, "every WAL frame is in the database");
      const count = await sql<{ n: number }>`select count(*) as n from blobs`.execute(db);
      assert.equal(count.rows[0]?.n, 6 * 32);
      await checkpointer.close();
    } finally {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
