import { createHmac } from "node:crypto";

/**
 * The key an account's platform webhooks (budget alerts, idle-function undeploys) are signed with:
 * HMAC-SHA256(master key, "runlet-webhook:" + account). Derived, never stored, the same on every node; the
 * account reads it (hex) from `GET …/budget` or `GET …/idle-policy` as `webhookSecret`. Each webhook carries
 * `X-Runlet-Timestamp` (seconds) and `X-Runlet-Signature: sha256=<hex HMAC-SHA256(key, "<timestamp>.<body>")>`
 * (queue/callbacks.ts signs).
 */
export function accountWebhookKey(masterKey: Buffer, account: string): Buffer {
  return createHmac("sha256", masterKey).update(`runlet-webhook:${account}`).digest();
}
