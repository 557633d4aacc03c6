import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { ClaimedJob, JobQueue, JobSpec } from "../../src/model/job.js";

const LEASE_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The behaviour every JobQueue must have (SQLite and PostgreSQL today). It runs on the real clock, with
 * short leases and delays, so a broker that keeps time itself (NATS JetStream: ack wait, delayed nak) can
 * run it as it is. `open` returns a queue and a way to close it; tests isolate themselves by account.
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

    const account = () => `acct-${randomBytes(4).toString("hex")}`;
    let seq = 0;
    const job = (
      acct: string,
      n: number,
      extra: { fn?: string; headers?: [string, string][]; callbackUrl?: string; createdAt?: number } = {},
    ): JobSpec => {
      const now = Date.now();
      const { fn = "fn", headers = [], ...rest } = extra;
      return {
        id: `act_${now}_${String(seq++).padStart(6, "0")}_${randomBytes(3).toString("hex")}`,
        invocation: { kind: "http", account: acct, function: fn, payload: { n }, headers },
        createdAt: now,
        ...rest,
      };
    };
    const mine = <T extends JobSpec>(jobs: T[], acct: string): T[] =>
      jobs.filter((j) => j.invocation.account === acct);
    const claim = async (acct: string, owner = "w", max = 100, leaseMs = LEASE_MS) =>
      mine(await q().claim(owner, max, leaseMs, Date.now()), acct);

    it("stores a batch in one call and hands each job to exactly one claim", async () => {
      const acct = account();
      const jobs = Array.from({ length: 50 }, (_, i) => job(acct, i, { headers: [["x-a", "1"]] }));
      const results = await q().enqueue(jobs.map((j) => ({ job: j })));
      assert.deepEqual(
        results,
        jobs.map((j) => ({ kind: "queued", id: j.id })),
      );
      const first = await claim(acct, "w1", 30, 60_000);
      const second = await claim(acct, "w2", 30, 60_000);
      assert.equal(first.length + second.length, 50);
      const ids = new Set([...first, ...second].map((j) => j.id));
      assert.equal(ids.size, 50, "no job claimed twice");
      const one = first[0]!;
      assert.equal(one.phase, "run");
      assert.equal(one.attempts, 1);
      assert.deepEqual(one.invocation, jobs.find((j) => j.id === one.id)!.invocation, "stored as submitted");
      assert.deepEqual(one.invocation.kind === "http" && one.invocation.headers, [["x-a", "1"]]);
      assert.deepEqual(await claim(acct, "w3"), [], "all are leased");
      await q().settle([...ids].map((id) => ({ id, kind: "done" as const })));
      assert.deepEqual(await claim(acct), [], "done jobs are gone");
    });

    it("re-delivers a job whose lease expired, counting the new run; an extended lease holds", async () => {
      const acct = account();
      const [a, b] = [job(acct, 1), job(acct, 2)];
      await q().enqueue([{ job: a }, { job: b }]);
      assert.equal((await claim(acct, "crashed")).length, 2);
      await q().extend("crashed", [b.id], Date.now() + 10_000);
      await sleep(LEASE_MS + 50);
      const again = await claim(acct, "w2");
      assert.deepEqual(
        again.map((j) => [j.id, j.attempts]),
        [[a.id, 2]],
        "only the job whose lease ran out, on its second run",
      );
      await q().extend("crashed", [a.id], Date.now() + 10_000);
      await q().extend("w2", [a.id], Date.now() + 2 * LEASE_MS);
      await sleep(LEASE_MS + 50);
      assert.equal((await claim(acct, "w3")).length, 0, "w2 renewed a");
      await sleep(LEASE_MS);
      const [late] = await claim(acct, "w3");
      assert.equal(late?.id, a.id, "the old owner could not renew a lease it lost");
      await q().settle([
        { id: a.id, kind: "done" },
        { id: b.id, kind: "done" },
      ]);
    });

    it("gives a stopped owner's jobs to the next claim without waiting for their lease", async () => {
      const acct = account();
      const j = job(acct, 1);
      await q().enqueue([{ job: j }]);
      await q().heartbeat("node-a", Date.now(), Date.now() + 60_000);
      assert.equal((await claim(acct, "node-a", 100, 60_000)).length, 1);
      assert.deepEqual(await claim(acct, "node-b"), [], "a live owner keeps its job");
      await q().heartbeat("node-a", Date.now(), Date.now());
      const until = Date.now() + 5000;
      let again: ClaimedJob[] = [];
      while (again.length === 0 && Date.now() < until) {
        again = await claim(acct, "node-b");
        if (again.length === 0) await sleep(20);
      }
      assert.deepEqual(
        again.map((c) => [c.id, c.attempts]),
        [[j.id, 2]],
        "claimed again long before its 60 s lease, its second run",
      );
      await q().settle([{ id: j.id, kind: "done" }]);
    });

    it("retries at a later time, keeping or rewriting the attempt count", async () => {
      const acct = account();
      const j = job(acct, 1);
      await q().enqueue([{ job: j }]);
      await claim(acct);
      await q().settle([{ id: j.id, kind: "retry", at: Date.now() + LEASE_MS, error: { code: "X" } }]);
      assert.equal((await claim(acct)).length, 0, "not before its time");
      await sleep(LEASE_MS + 50);
      const [second] = await claim(acct);
      assert.equal(second?.attempts, 2);
      await q().settle([{ id: j.id, kind: "retry", at: Date.now(), attempts: 1 }]);
      const [third] = await claim(acct);
      assert.equal(third?.attempts, 2, "a throttled run handed back does not count");
      await q().settle([{ id: j.id, kind: "done" }]);
      await sleep(LEASE_MS + 50);
      assert.equal((await claim(acct)).length, 0, "done is gone");
    });

    it("dead-letters, lists newest first with a cursor, and redrives with attempts reset", async () => {
      const acct = account();
      const jobs = [job(acct, 1), job(acct, 2), job(acct, 3)];
      await q().enqueue(jobs.map((j) => ({ job: j })));
      await claim(acct);
      const at = Date.now();
      await q().settle(jobs.map((j) => ({ id: j.id, kind: "dead" as const, at, error: { code: "E" } })));
      const dead = await q().listDead(acct, 2);
      assert.deepEqual(
        dead.map((d) => d.id),
        [jobs[2]!.id, jobs[1]!.id],
      );
      assert.equal(dead[0]!.attempts, 1);
      assert.deepEqual(dead[0]!.error, { code: "E" });
      assert.equal(dead[0]!.failedAt, at);
      assert.equal(dead[0]!.function, "fn");
      assert.deepEqual(
        (await q().listDead(acct, 2, dead[1]!.id)).map((d) => d.id),
        [jobs[0]!.id],
      );
      assert.deepEqual(await q().listDead(account(), 10), [], "other accounts see none");
      assert.deepEqual(await claim(acct), [], "dead jobs are not claimed");
      assert.equal(await q().redrive(account(), jobs[0]!.id, Date.now()), false, "not across accounts");
      assert.equal(await q().redrive(acct, jobs[0]!.id, Date.now()), true);
      assert.equal(await q().redrive(acct, jobs[0]!.id, Date.now()), false, "no longer dead");
      const [back] = await claim(acct);
      assert.equal(back?.id, jobs[0]!.id);
      assert.equal(back?.attempts, 1, "attempts start over");
      await q().settle([{ id: back!.id, kind: "done" }]);
    });

    it("moves a finished job to its callback phase, then dead-letters it after the callback if it failed", async () => {
      const acct = account();
      const j = job(acct, 1, { callbackUrl: "http://127.0.0.1:1/cb" });
      await q().enqueue([{ job: j }]);
      await claim(acct);
      await q().settle([
        { id: j.id, kind: "callback", at: Date.now(), callbackAttempts: 0, deadLetter: true },
      ]);
      const [cb] = await claim(acct);
      assert.equal(cb?.phase, "callback");
      assert.equal(cb?.attempts, 1, "a callback phase is not another run");
      assert.equal(cb?.callbackUrl, "http://127.0.0.1:1/cb");
      assert.equal(cb?.deadLetter, true);
      await q().settle([
        { id: j.id, kind: "callback", at: Date.now(), callbackAttempts: 1, deadLetter: true },
      ]);
      const [cb2] = await claim(acct);
      assert.equal(cb2?.callbackAttempts, 1);
      await q().settle([{ id: j.id, kind: "dead", at: Date.now() }]);
      const [dead] = await q().listDead(acct, 10);
      assert.equal(dead?.id, j.id);
    });

    it("remembers an idempotency key: same body → the first id, other body → conflict", async () => {
      const acct = account();
      const first = job(acct, 1);
      const [r1] = await q().enqueue([{ job: first, idempotencyKey: "k1", bodyDigest: "d1" }]);
      assert.deepEqual(r1, { kind: "queued", id: first.id });
      const results = await q().enqueue([
        { job: job(acct, 2), idempotencyKey: "k1", bodyDigest: "d1" },
        { job: job(acct, 3), idempotencyKey: "k1", bodyDigest: "other" },
        { job: job(acct, 4, { fn: "fn2" }), idempotencyKey: "k1", bodyDigest: "d1" },
      ]);
      assert.deepEqual(results.slice(0, 2), [
        { kind: "duplicate", id: first.id },
        { kind: "conflict", id: first.id },
      ]);
      assert.equal(results[2]!.kind, "queued", "keys are per function");
      assert.deepEqual(await q().lookup(acct, "fn", "k1"), { id: first.id, bodyDigest: "d1" });
      assert.equal(await q().lookup(acct, "fn", "nope"), undefined);
      const claimed = await claim(acct);
      assert.equal(claimed.length, 2, "duplicates queued nothing");
      await q().settle(claimed.map((c) => ({ id: c.id, kind: "done" as const })));
    });

    it("two keys in one batch that collide resolve in order", async () => {
      const acct = account();
      const a = job(acct, 1);
      const results = await q().enqueue([
        { job: a, idempotencyKey: "same", bodyDigest: "d" },
        { job: job(acct, 2), idempotencyKey: "same", bodyDigest: "d" },
      ]);
      assert.deepEqual(results, [
        { kind: "queued", id: a.id },
        { kind: "duplicate", id: a.id },
      ]);
      const claimed = await claim(acct);
      assert.equal(claimed.length, 1);
      await q().settle(claimed.map((c) => ({ id: c.id, kind: "done" as const })));
    });

    it("forgets idempotency keys older than the cut-off", async () => {
      const acct = account();
      const old = job(acct, 1, { createdAt: Date.now() - 60_000 });
      await q().enqueue([{ job: old, idempotencyKey: "old", bodyDigest: "d" }]);
      assert.ok((await q().pruneKeys(Date.now() - 30_000)) >= 1);
      assert.equal(await q().lookup(acct, "fn", "old"), undefined);
      const claimed = await claim(acct);
      await q().settle(claimed.map((c) => ({ id: c.id, kind: "done" as const })));
    });

    it("counts the jobs not yet finished", async () => {
      const acct = account();
      const before = await q().pending();
      const j = job(acct, 1);
      await q().enqueue([{ job: j }]);
      assert.equal(await q().pending(), before + 1);
      await claim(acct);
      await q().settle([{ id: j.id, kind: "done" }]);
      assert.equal(await q().pending(), before);
    });
  });
}
