import assert from "node:assert/strict";
import { it } from "node:test";
import type { ErrorCode } from "../../../src/errors.js";
import type { Activation } from "../../../src/model/activation.js";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount } from "./fixtures.js";

const T0 = Date.UTC(2026, 10, 20, 12);
const HOUR = 3_600_000;

/** Nearest-rank percentile, the definition the store implements. */
function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.ceil((sorted.length * p) / 100) - 1]!;
}

export function statsContract(store: () => Store): void {
  it("function stats count the last hour's activations by status, with nearest-rank p50 and p99", async () => {
    const account = await freshAccount(store(), "stats");
    const records: Activation[] = [];
    const statuses = [
      "succeeded",
      "succeeded",
      "succeeded",
      "function_error",
      "timeout",
      "rejected",
    ] as const;
    for (let n = 0; n < 137; n++) {
      records.push(
        activation(account, n, {
          function: "hot",
          status: statuses[n % statuses.length]!,
          startedAt: T0 - HOUR + 1 + n * 1000,
          // Distinct, shuffled durations so a wrong rank gives a wrong answer.
          durationMs: ((n * 37) % 137) + 0.5,
        }),
      );
    }
    // Outside the window, another function, another account, and unfinished ones: none may count.
    records.push(activation(account, 500, { function: "hot", startedAt: T0 - 2 * HOUR, durationMs: 9999 }));
    records.push(activation(account, 501, { function: "cold", startedAt: T0, durationMs: 9999 }));
    records.push(
      activation(account, 502, { function: "hot", status: "running", startedAt: T0, durationMs: 0 }),
    );
    records.push(
      activation(account, 503, { function: "hot", status: "queued", startedAt: T0, durationMs: 0 }),
    );
    const other = await freshAccount(store(), "stats-other");
    await store().activations.insertMany([activation(other, 1, { function: "hot", startedAt: T0 })]);
    await store().activations.insertMany(records);

    const stats = await store().activations.stats({ account, function: "hot", since: T0 - HOUR });
    const window = records.slice(0, 137);
    const count = (s: string) => window.filter((a) => a.status === s).length;
    assert.deepEqual(stats.byStatus, {
      succeeded: count("succeeded"),
      function_error: count("function_error"),
      timeout: count("timeout"),
      rejected: count("rejected"),
    });
    assert.equal(stats.invocations, 137);
    const ran = window
      .filter((a) => a.status !== "rejected")
      .map((a) => a.durationMs)
      .sort((a, b) => a - b);
    assert.equal(stats.p50Ms, nearestRank(ran, 50));
    assert.equal(stats.p99Ms, nearestRank(ran, 99));
  });

  it("function stats with no activations are zero with null percentiles", async () => {
    const account = await freshAccount(store(), "stats-empty");
    const stats = await store().activations.stats({ account, function: "none", since: 0 });
    assert.deepEqual(stats, { byStatus: {}, invocations: 0, p50Ms: null, p99Ms: null });
  });
}

export function outcomeBucketsContract(store: () => Store): void {
  it("outcome buckets count finished activations by status per bucket, within [from, to) only", async () => {
    const account = await freshAccount(store(), "buckets");
    const at = (n: number, startedAt: number, status: Activation["status"], fn = "hot") =>
      activation(account, n, { function: fn, status, startedAt, durationMs: n });
    await store().activations.insertMany([
      at(1, T0, "succeeded"),
      at(2, T0 + HOUR - 1, "function_error"),
      at(3, T0 + HOUR, "succeeded"),
      at(4, T0 + HOUR + 5, "succeeded"),
      at(5, T0 + 3 * HOUR + 1, "timeout"),
      at(6, T0 - 1, "succeeded"),
      at(7, T0 + 4 * HOUR, "succeeded"),
      at(8, T0 + 5, "running"),
      at(9, T0 + 5, "succeeded", "cold"),
    ]);
    const buckets = await store().activations.outcomeBuckets({
      account,
      function: "hot",
      from: T0,
      to: T0 + 4 * HOUR,
      bucketMs: HOUR,
    });
    const counts = buckets.map(({ start, byStatus, invocations }) => ({ start, byStatus, invocations }));
    assert.deepEqual(counts, [
      { start: T0, byStatus: { succeeded: 1, function_error: 1 }, invocations: 2 },
      { start: T0 + HOUR, byStatus: { succeeded: 2 }, invocations: 2 },
      { start: T0 + 3 * HOUR, byStatus: { timeout: 1 }, invocations: 1 },
    ]);
  });

  it("outcome buckets give each bucket's cold starts, throttled refusals and nearest-rank p50/p99", async () => {
    const account = await freshAccount(store(), "buckets-p");
    const records: Activation[] = [];
    // Bucket 0: 101 runs with shuffled distinct durations, 7 of them cold; bucket 1: one run.
    for (let n = 0; n < 101; n++) {
      records.push(
        activation(account, n, {
          startedAt: T0 + n,
          durationMs: ((n * 31) % 101) + 0.25,
          coldStart: n % 15 === 0,
        }),
      );
    }
    records.push(
      activation(account, 200, { startedAt: T0 + HOUR, durationMs: 42, status: "function_error" }),
    );
    // Refusals: two throttled (a full pool, the node's memory), one over quota (rejected, not throttled).
    // Their durations must not count in the percentiles.
    const refused = (n: number, code: ErrorCode, startedAt: number) =>
      activation(account, n, {
        startedAt,
        durationMs: 99_999,
        status: "rejected",
        error: { code, message: "no" },
      });
    records.push(refused(300, "RUNLET_ERR_THROTTLED", T0 + 7));
    records.push(refused(301, "RUNLET_ERR_MEMORY_BUDGET", T0 + HOUR + 1));
    records.push(refused(302, "RUNLET_ERR_QUOTA_INVOCATIONS", T0 + 9));
    await store().activations.insertMany(records);

    const [first, second] = await store().activations.outcomeBuckets({
      account,
      function: "fn",
      from: T0,
      to: T0 + 2 * HOUR,
      bucketMs: HOUR,
    });
    const ran = records
      .slice(0, 101)
      .map((a) => a.durationMs)
      .sort((a, b) => a - b);
    assert.deepEqual(first, {
      start: T0,
      byStatus: { succeeded: 101, rejected: 2 },
      invocations: 103,
      coldStarts: 7,
      throttled: 1,
      p50Ms: nearestRank(ran, 50),
      p99Ms: nearestRank(ran, 99),
    });
    assert.deepEqual(second, {
      start: T0 + HOUR,
      byStatus: { function_error: 1, rejected: 1 },
      invocations: 2,
      coldStarts: 0,
      throttled: 1,
      p50Ms: 42,
      p99Ms: 42,
    });
  });

  it("outcome buckets without a function count every function of the account, and no other account", async () => {
    const account = await freshAccount(store(), "buckets-acct");
    const other = await freshAccount(store(), "buckets-other");
    await store().activations.insertMany([
      activation(account, 1, { function: "a", startedAt: T0, durationMs: 10 }),
      activation(account, 2, { function: "b", startedAt: T0 + 1, durationMs: 20, status: "timeout" }),
      activation(account, 3, { function: "c", startedAt: T0 + 2, durationMs: 30 }),
    ]);
    await store().activations.insertMany([activation(other, 4, { function: "a", startedAt: T0 })]);
    const buckets = await store().activations.outcomeBuckets({
      account,
      from: T0,
      to: T0 + HOUR,
      bucketMs: HOUR,
    });
    assert.deepEqual(buckets, [
      {
        start: T0,
        byStatus: { succeeded: 2, timeout: 1 },
        invocations: 3,
        coldStarts: 0,
        throttled: 0,
        p50Ms: 20,
        p99Ms: 30,
      },
    ]);
  });
}
