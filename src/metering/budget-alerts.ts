// Budget alerts as signed webhooks, sent through the async callbacks' sender (the same address guard and
// pinned connection), signed with the account's webhook key as every platform webhook is
// (security/webhook-key.ts, handed in): `X-Runlet-Timestamp` and `X-Runlet-Signature: sha256=<hex HMAC>`.
import type { Budget, BudgetAlert } from "../model/budget.js";

/** What sends a webhook: the async callbacks' sender (queue/callbacks.ts); undefined when the receiver took it. */
export interface WebhookPoster {
  post(
    url: string,
    body: unknown,
    headers: Record<string, string>,
    signingKey?: Buffer,
  ): Promise<{ reason: string; permanent: boolean } | undefined>;
}

/** Waits before the second and third tries of a webhook the receiver did not take (the alert keeps the outcome). */
const RETRY_MS = [1000, 3000];

/** What a budget's webhook receives. Amounts in cost units (the usage API's). */
export function alertBody(budget: Budget, alert: BudgetAlert): Record<string, unknown> {
  return {
    type: "runlet.budget.alert",
    alert: {
      id: alert.id,
      account: alert.account,
      ...(alert.function !== undefined ? { function: alert.function } : {}),
      period: alert.period,
      threshold: alert.threshold,
      amount: alert.amountMicros / 1_000_000,
      spent: alert.spentMicros / 1_000_000,
    },
    budget: { thresholds: budget.thresholds, hardLimit: budget.hardLimit },
  };
}

/** Sends alerts to their budget's webhook, signed with the account's secret. */
export function alertNotifier(
  sender: WebhookPoster,
  keyOf: (account: string) => Buffer,
): (budget: Budget, alert: BudgetAlert) => Promise<NonNullable<BudgetAlert["delivery"]>> {
  return async (budget, alert) => {
    const body = alertBody(budget, alert);
    const key = keyOf(alert.account);
    let failure: Awaited<ReturnType<WebhookPoster["post"]>>;
    for (let attempt = 0; attempt < RETRY_MS.length + 1; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_MS[attempt - 1]));
      failure = await sender.post(budget.webhookUrl ?? "", body, { "x-runlet-alert-id": alert.id }, key);
      if (!failure || failure.permanent) break;
    }
    const at = Date.now();
    return failure ? { status: "failed", at, error: failure.reason } : { status: "delivered", at };
  };
}
