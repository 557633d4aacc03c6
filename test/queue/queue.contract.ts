import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { JobQueue, JobSpec } from "../../src/queue/job-queue.js";

/**
 * The behaviour every JobQueue must have (SQLite and PostgreSQL today; JetStream can run it later).
 * `open` returns a queue and a way to close it; tests isolate themselves by unique account names.
 */
export function queueContract(
  name: string,
  open: () => Promise<{ queue: JobQueue; close(): Promise<void> }>,
) {
  describe(`queue contract: ${name}`, () => {
    let opened: { queue: JobQueue; close(): Promise<void> } | undefined;
    const q = (): JobQueue => {
      if (!opened) throw new Error("the queue did not open (see the before hook's error)");
      return opened.queue;
    };
    before(async () => {
      opened = await open();
    });
    after(() => opened?.close());

    // Every test uses its own clock far in the future of the others' jobs, so claims see only its own.
    let clock = 2_000_000_000_000;
    const epoch = () => (clock += 1_000_000_000);
    const account = () => `acct-${randomBytes(4).toString("hex")}`;
    const job = (acct: string, at: number, n: number, extra: Partial<JobSpec> = {}): JobSpec => ({
      id: `act_${at}_${String(n).padStart(5, "0")}_${randomBytes(3).toString("hex")}`,
      account: acct,
      function: "fn",
      trigger: "http",
      payload: { n },
      createdAt: at,
      ...extra,
    });
    const mine = <T extends { account: string }>(jobs: T[], acct: string): T[] =>
      jobs.filter((j) => j.account === acct);

    it("stores a batch in one call and hands each job to exactly one claim", async () => {
      const now = epoch();
      const acct = account();
      const jobs = Array.from({ length: 50 }, (_, i) => job(acct, now, i, { headers: [["x-a", "1"]] }));
      const results = await q().enqueue(jobs.map((j) => ({ job: j })));
      assert.deepEqual(
        results,
        jobs.map((j) => ({ kind: "queued", id: j.id })),
      );
      const first = mine(await q().claim("w1", 30, 60_000, now), acct);
      const second = mine(await q().claim("w2", 30, 60_000, now), acct);
      assert.equal(first.length + second.length, 50);
      const ids = new Set([...first, ...second].map((j) => j.id));
      assert.equal(ids.size, 50, "no job claimed twice");
      const one = first[0]!;
      assert.equal(one.phase, "run");
      assert.equal(one.attempts, 1);
      assert.deepEqual(one.headers, [["x-a", "1"]]);
      assert.deepEqual(one.payload, jobs.find((j) => j.id === one.id)!.payload);
      assert.deepEqual(mine(await q().claim("w3", 100, 60_000, now), acct), [], "all are leased");
      await q().settle([...ids].map((id) => ({ id, kind: "done" as const })));
    });

    it("does not hand out a job before it is due", async () => {
      const now = epoch();
      const acct = account();
      await q().enqueue([{ job: job(acct, now + 5000, 1) }]);
      assert.equal(mine(await q().claim("w", 10, 1000, now), acct).length, 0);
      const [due] = mine(await q().claim("w", 10, 1000, now + 5000), acct);
      assert.ok(due);
      await q().settle([{ id: due.id, kind: "done" }]);
    });

    it("re-delivers a job whose lease expired, counting the new run; an extended lease holds", async () => {
      const now = epoch();
      const acct = account();
      const [a, b] = [job(acct, now, 1), job(acct, now, 2)];
      await q().enqueue([{ job: a }, { job: b }]);
      const claimed = mine(await q().claim("crashed", 10, 1000, now), acct);
      assert.equal(claimed.length, 2);
      await q().extend("crashed", [b.id], now + 10_000);
      const again = mine(await q().claim("w2", 10, 1000, now + 1001), acct);
      assert.deepEqual(
        again.map((j) => [j.id, j.attempts]),
        [[a.id, 2]],
        "only the job whose lease ran out, on its second run",
      );
      await q().extend("crashed", [a.id], now + 50_000);
      await q().extend("w2", [a.id], now + 3000);
      assert.equal(mine(await q().claim("w3", 10, 1000, now + 2002), acct).length, 0, "w2 renewed a");
      const [late] = mine(await q().claim("w3", 10, 1000, now + 3001), acct);
      assert.equal(late?.id, a.id, "the old owner could not renew a lease it lost");
      await q().settle([
        { id: a.id, kind: "done" },
        { id: b.id, kind: "done" },
      ]);
    });

    it("retries at a later time, keeping or rewriting the attempt count", async () => {
      const now = epoch();
      const acct = account();
      const j = job(acct, now, 1);
      await q().enqueue([{ job: j }]);
      await q().claim("w", 10, 1000, now);
      await q().settle([{ id: j.id, kind: "retry", at: now + 500, error: { code: "X" } }]);
      assert.equal(mine(await q().claim("w", 10, 1000, now + 100), acct).length, 0);
      const [second] = mine(await q().claim("w", 10, 1000, now + 500), acct);
      assert.equal(second?.attempts, 2);
      await q().settle([{ id: j.id, kind: "retry", at: now + 600, attempts: 1 }]);
      const [third] = mine(await q().claim("w", 10, 1000, now + 600), acct);
      assert.equal(third?.attempts, 2, "a throttled run handed back does not count");
      await q().settle([{ id: j.id, kind: "done" }]);
      assert.equal(mine(await q().claim("w", 10, 1000, now + 100_000), acct).length, 0, "done is gone");
    });

    it("dead-letters, lists newest first with a cursor, and redrives with attempts reset", async () => {
      const now = epoch();
      const acct = account();
      const jobs = [job(acct, now, 1), job(acct, now, 2), job(acct, now, 3)];
      await q().enqueue(jobs.map((j) => ({ job: j })));
      await q().claim("w", 10, 1000, now);
      await q().settle(
        jobs.map((j) => ({ id: j.id, kind: "dead" as const, at: now + 1, error: { code: "E" } })),
      );
      const dead = await q().listDead(acct, 2);
      assert.deepEqual(
        dead.map((d) => d.id),
        [jobs[2]!.id, jobs[1]!.id],
      );
      assert.equal(dead[0]!.attempts, 1);
      assert.deepEqual(dead[0]!.error, { code: "E" });
      assert.equal(dead[0]!.failedAt, now + 1);
      assert.deepEqual(
        (await q().listDead(acct, 2, dead[1]!.id)).map((d) => d.id),
        [jobs[0]!.id],
      );
      assert.deepEqual(await q().listDead(account(), 10), [], "other accounts see none");
      assert.equal(await q().redrive(account(), jobs[0]!.id, now + 2), false, "not across accounts");
      assert.equal(await q().redrive(acct, jobs[0]!.id, now + 2), true);
      assert.equal(await q().redrive(acct, jobs[0]!.id, now + 2), false, "no longer dead");
      const [back] = mine(await q().claim("w", 10, 1000, now + 2), acct);
      assert.equal(back?.id, jobs[0]!.id);
      assert.equal(back?.attempts, 1, "attempts start over");
      await q().settle([{ id: back!.id, kind: "done" }]);
    });

    it("moves a finished job to its callback phase, then dead-letters it after the callback if it failed", async () => {
      const now = epoch();
      const acct = account();
      const j = job(acct, now, 1, { callbackUrl: "http://127.0.0.1:1/cb" });
      await q().enqueue([{ job: j }]);
      await q().claim("w", 10, 1000, now);
      await q().settle([{ id: j.id, kind: "callback", at: now + 10, callbackAttempts: 0, deadLetter: true }]);
      const [cb] = mine(await q().claim("w", 10, 1000, now + 10), acct);
      assert.equal(cb?.phase, "callback");
      assert.equal(cb?.attempts, 1, "a callback phase is not another run");
      assert.equal(cb?.callbackUrl, "http://127.0.0.1:1/cb");
      assert.equal(cb?.deadLetter, true);
      await q().settle([{ id: j.id, kind: "callback", at: now + 20, callbackAttempts: 1, deadLetter: true }]);
      const [cb2] = mine(await q().claim("w", 10, 1000, now + 20), acct);
      assert.equal(cb2?.callbackAttempts, 1);
      await q().settle([{ id: j.id, kind: "dead", at: now + 30 }]);
      const [dead] = await q().listDead(acct, 10);
      assert.equal(dead?.id, j.id);
    });

    it("remembers an idempotency key: same body → the first id, other body → conflict", async () => {
      const now = epoch();
      const acct = account();
      const first = job(acct, now, 1);
      const [r1] = await q().enqueue([{ job: first, idempotencyKey: "k1", bodyDigest: "d1" }]);
      assert.deepEqual(r1, { kind: "queued", id: first.id });
      const results = await q().enqueue([
        { job: job(acct, now, 2), idempotencyKey: "k1", bodyDigest: "d1" },
        { job: job(acct, now, 3), idempotencyKey: "k1", bodyDigest: "other" },
        { job: job(acct, now, 4, { function: "fn2" }), idempotencyKey: "k1", bodyDigest: "d1" },
      ]);
      assert.deepEqual(results.slice(0, 2), [
        { kind: "duplicate", id: first.id },
        { kind: "conflict", id: first.id },
      ]);
      assert.equal(results[2]!.kind, "queued", "keys are per function");
      assert.deepEqual(await q().lookup(acct, "fn", "k1"), { id: first.id, bodyDigest: "d1" });
      assert.equal(await q().lookup(acct, "fn", "nope"), undefined);
      const claimed = mine(await q().claim("w", 10, 1000, now), acct);
      assert.equal(claimed.length, 2, "duplicates queued nothing");
      await q().settle(claimed.map((c) => ({ id: c.id, kind: "done" as const })));
    });

    it("two keys in one batch that collide resolve in order", async () => {
      const now = epoch();
      const acct = account();
      const a = job(acct, now, 1);
      const results = await q().enqueue([
        { job: a, idempotencyKey: "same", bodyDigest: "d" },
        { job: job(acct, now, 2), idempotencyKey: "same", bodyDigest: "d" },
      ]);
      assert.deepEqual(results, [
        { kind: "queued", id: a.id },
        { kind: "duplicate", id: a.id },
      ]);
      const claimed = mine(await q().claim("w", 10, 1000, now), acct);
      await q().settle(claimed.map((c) => ({ id: c.id, kind: "done" as const })));
    });

    it("forgets idempotency keys older than the cut-off", async () => {
      const now = epoch();
      const acct = account();
      const old = job(acct, 1000, 1);
      await q().enqueue([{ job: old, idempotencyKey: "old", bodyDigest: "d" }]);
      assert.ok((await q().pruneKeys(2000)) >= 1);
      assert.equal(await q().lookup(acct, "fn", "old"), undefined);
      const claimed = mine(await q().claim("w", 10, 1000, now), acct);
      await q().settle(claimed.map((c) => ({ id: c.id, kind: "done" as const })));
    });
  });
}
