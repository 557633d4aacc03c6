import assert from "node:assert/strict";
import { it } from "node:test";
import type { BudgetAlert } from "../../../src/model/budget.js";
import type { Store } from "../../../src/store/store.js";
import { activation, freshAccount } from "./fixtures.js";

export function budgetsContract(store: () => Store): void {
  it("budgets are kept per account and function, replaced by a set, and deleted", async () => {
    const account = await freshAccount(store(), "budgets");
    const base = { account, thresholds: [50, 100], hardLimit: false, updatedAt: 1 };
    await store().budgets.set({ ...base, amountMicros: 5_000_000 });
    await store().budgets.set({
      ...base,
      function: "alpha",
      amountMicros: 1_000_000,
      webhookUrl: "https://x/y",
    });
    await store().budgets.set({ ...base, amountMicros: 7_000_000, hardLimit: true, updatedAt: 2 });
    assert.deepEqual(await store().budgets.list(account), [
      { ...base, amountMicros: 7_000_000, hardLimit: true, updatedAt: 2 },
      { ...base, function: "alpha", amountMicros: 1_000_000, webhookUrl: "https://x/y" },
    ]);
    assert.equal(await store().budgets.delete(account, "alpha"), true);
    assert.equal(await store().budgets.delete(account, "alpha"), false);
    assert.equal((await store().budgets.list(account)).length, 1);
  });

  it("an alert is recorded once per period, threshold and amount; its delivery is set once", async () => {
    const account = await freshAccount(store(), "alerts");
    const alert = (id: string, over: Partial<BudgetAlert> = {}): BudgetAlert => ({
      id,
      account,
      function: "alpha",
      period: "2026-12",
      threshold: 80,
      amountMicros: 10_000_000,
      spentMicros: 8_000_000,
      createdAt: 1000,
      ...over,
    });
    assert.equal(await store().budgets.addAlert(alert("alr_1")), true);
    assert.equal(await store().budgets.addAlert(alert("alr_2")), false, "the same threshold again");
    assert.equal(await store().budgets.addAlert(alert("alr_3", { amountMicros: 20_000_000 })), true);
    assert.equal(
      await store().budgets.addAlert(alert("alr_4", { function: undefined, createdAt: 2000 })),
      true,
    );
    await store().budgets.setDelivery("alr_1", { status: "failed", at: 5, error: "HTTP 500" });
    await store().budgets.setDelivery("alr_1", { status: "delivered", at: 6 });
    const listed = await store().budgets.alerts({ account, limit: 10 });
    assert.deepEqual(
      listed.map((a) => a.id),
      ["alr_4", "alr_3", "alr_1"],
    );
    assert.deepEqual(listed[2]?.delivery, { status: "failed", at: 5, error: "HTTP 500" });
    assert.equal(listed[0]?.function, undefined);
    assert.deepEqual(
      (await store().budgets.alerts({ account, function: "alpha", limit: 10 })).map((a) => a.id),
      ["alr_3", "alr_1"],
    );
  });

  it("usage can be summed for one function (a function's budget)", async () => {
    const account = await freshAccount(store(), "fnusage");
    await store().activations.insertMany([
      activation(account, 1, { function: "alpha", startedAt: 1000, billedMs: 10 }),
      activation(account, 2, { function: "beta", startedAt: 1000, billedMs: 20 }),
      activation(account, 3, { function: "alpha", startedAt: 1000, billedMs: 30 }),
    ]);
    const [row] = await store().activations.usage({ account, from: 0, to: 2000, function: "alpha" });
    assert.equal(row?.invocations, 2);
    assert.equal(row?.billedMs, 40);
  });
}
