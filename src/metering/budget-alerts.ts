// Budget alerts as signed webhooks, sent through the async callbacks' sender (the same address guard and
// pinned connection). Each account has its own signing secret, derived from the master key (nothing to
// store, the same on every node): `X-Runlet-Signature: t=<ms>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
import { createHmac } from "node:crypto";
import type { Budget, BudgetAlert } from "../model/budget.js";

/** What sends a webhook: the async callbacks' sender (queue/callbacks.ts); undefined when the receiver took it. */
export interface WebhookPoster {
  post(
    url: string,
    json: string,
    headers: Record<string, string>,
  ): Promise<{ reason: string; permanent: boolean } | undefined>;
}

/** Waits before the second and third tries of a webhook the receiver did not take (the alert keeps the outcome). */
const RETRY_MS = [1000, 3000];

/** The secret an account's budget webhooks are signed with (GET …/budget shows it to the account). */
export function webhookSecret(masterKey: Buffer, account: string): string {
  const mac = createHmac("sha256", masterKey).update(`runlet budget webhooks\0${account}`).digest("hex");
  return `whsec_${mac}`;
}

/** The X-Runlet-Signature value of `body` sent at `t` (ms). A receiver recomputes it to trust the alert. */
export function signatureOf(secret: string, t: number, body: string): string {
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/** What a budget's webhook receives. Amounts in cost units (the usage API's). */
export function alertBody(budget: Budget, alert: BudgetAlert): string {
  return JSON.stringify({
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
  });
}

/** Sends alerts to their budget's webhook, signed with the account's secret. */
export function alertNotifier(
  sender: WebhookPoster,
  masterKey: Buffer,
): (budget: Budget, alert: BudgetAlert) => Promise<NonNullable<BudgetAlert["delivery"]>> {
  return async (budget, alert) => {
    const body = alertBody(budget, alert);
    const secret = webhookSecret(masterKey, alert.account);
    let failure: Awaited<ReturnType<WebhookPoster["post"]>>;
    for (let attempt = 0; attempt < RETRY_MS.length + 1; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_MS[attempt - 1]));
      const t = Date.now();
      failure = await sender.post(budget.webhookUrl ?? "", body, {
        "x-runlet-alert-id": alert.id,
        "x-runlet-signature": signatureOf(secret, t, body),
      });
      if (!failure || failure.permanent) break;
    }
    const at = Date.now();
    return failure ? { status: "failed", at, error: failure.reason } : { status: "delivered", at };
  };
}
