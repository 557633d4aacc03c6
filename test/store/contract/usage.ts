import assert from "node:assert/strict";
import { it } from "node:test";
import type { Activation } from "../../../src/model/activation.js";
import type { UsageRow } from "../../../src/store/records.js";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount } from "./fixtures.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20); // 2026-11-20T00:00Z

export function usageContract(store: () => Store): void {
  it("usage sums equal the activation records they summarise, grouped by function and by day", async () => {
    const account = await freshAccount(store(), "usage");
    const records: Activation[] = [];
    for (let n = 0; n < 120; n++) {
      records.push(
        activation(account, n, {
          function: n % 3 === 0 ? "alpha" : "beta",
          status: n % 10 === 0 ? "function_error" : "succeeded",
          startedAt: T0 + (n % 2) * DAY + n * 1000,
          billedMs: (n % 7) + 1,
          memoryMb: n % 2 === 0 ? 128 : 256,
        }),
      );
    }
    await store().activations.insertMany(records);
    const expect = (subset: Activation[]) => ({
      invocations: subset.length,
      errors: subset.filter((a) => a.status !== "succeeded").length,
      billedMs: subset.reduce((sum, a) => sum + a.billedMs, 0),
      gbSeconds: subset.reduce((sum, a) => sum + (a.billedMs / 1000) * (a.memoryMb / 1024), 0),
    });
    const close = (row: UsageRow, want: ReturnType<typeof expect>, key: string) => {
      assert.equal(row.key, key);
      assert.equal(row.invocations, want.invocations, key);
      assert.equal(row.errors, want.errors, key);
      assert.equal(row.billedMs, want.billedMs, key);
      assert.ok(
        Math.abs(row.gbSeconds - want.gbSeconds) < 1e-9,
        `${key}: ${row.gbSeconds} vs ${want.gbSeconds}`,
      );
    };
    const range = { account, from: T0, to: T0 + 2 * DAY };

    const [total] = await store().activations.usage(range);
    close(total!, expect(records), "total");

    const byFunction = await store().activations.usage({ ...range, groupBy: "function" });
    assert.deepEqual(
      byFunction.map((r) => r.key),
      ["alpha", "beta"],
    );
    close(byFunction[0]!, expect(records.filter((a) => a.function === "alpha")), "alpha");
    close(byFunction[1]!, expect(records.filter((a) => a.function === "beta")), "beta");

    const byDay = await store().activations.usage({ ...range, groupBy: "day" });
    assert.deepEqual(
      byDay.map((r) => r.key),
      ["2026-11-20", "2026-11-21"],
    );
    close(byDay[0]!, expect(records.filter((a) => a.startedAt < T0 + DAY)), "2026-11-20");

    const byDayAndFunction = await store().activations.usage({ ...range, groupBy: "day,function" });
    assert.deepEqual(
      byDayAndFunction.map((r) => [r.key, r.day, r.function]),
      [
        ["2026-11-20/alpha", "2026-11-20", "alpha"],
        ["2026-11-20/beta", "2026-11-20", "beta"],
        ["2026-11-21/alpha", "2026-11-21", "alpha"],
        ["2026-11-21/beta", "2026-11-21", "beta"],
      ],
    );
    for (const row of byDayAndFunction) {
      const day = Date.parse(`${row.day}T00:00:00Z`);
      const subset = records.filter(
        (a) => a.function === row.function && a.startedAt >= day && a.startedAt < day + DAY,
      );
      close(row, expect(subset), row.key);
    }

    const firstDay = await store().activations.usage({ account, from: T0, to: T0 + DAY });
    close(firstDay[0]!, expect(records.filter((a) => a.startedAt < T0 + DAY)), "total");
  });

  it("usage of an account with no activations in range is zero, and other accounts never count", async () => {
    const account = await freshAccount(store(), "usage-empty");
    const other = await freshAccount(store(), "usage-other");
    await store().activations.insertMany([activation(other, 1, { startedAt: T0 })]);
    const [total] = await store().activations.usage({ account, from: T0 - DAY, to: T0 + DAY });
    assert.deepEqual(total, { key: "total", invocations: 0, errors: 0, billedMs: 0, gbSeconds: 0 });
    assert.deepEqual(
      await store().activations.usage({ account, from: 0, to: T0 * 2, groupBy: "function" }),
      [],
    );
  });
}
