import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { AsyncInvoker, HttpInvocation } from "../model/invocation.js";
import { RunletError } from "../errors.js";
import type { HttpAnswer } from "./reply.js";

/** `Prefer: respond-async` (RFC 7240) asks for the async path, as `?async=true` does. */
export function prefersAsync(headers: IncomingHttpHeaders): boolean {
  return /\brespond-async\b/i.test(String(headers.prefer ?? ""));
}

const KEY = /^[\x21-\x7e]{1,255}$/;

export function asyncTooLarge(limit: number, size: number): RunletError {
  return new RunletError(
    "RUNLET_ERR_PAYLOAD_TOO_LARGE",
    `async payloads are limited to ${limit} bytes, got ${size}; send less or invoke synchronously`,
  );
}

/**
 * The async branch of POST …/invoke: answers 202 {activationId} once the job is durably queued. An
 * Idempotency-Key repeats the first answer (same id) for the same body; X-Callback-Url gets the result.
 */
export async function submitAsync(
  queue: AsyncInvoker,
  invocation: HttpInvocation,
  headers: IncomingHttpHeaders,
): Promise<HttpAnswer> {
  const key = header(headers, "idempotency-key");
  if (key !== undefined && !KEY.test(key)) {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)",
    );
  }
  const callbackUrl = header(headers, "x-callback-url");
  const { activationId } = await queue.submit({
    invocation,
    ...(callbackUrl !== undefined ? { callbackUrl } : {}),
    ...(key !== undefined
      ? {
          idempotencyKey: key,
          bodyDigest: createHash("sha256")
            .update(JSON.stringify(invocation.payload) ?? "null")
            .update("\0")
            .update(callbackUrl ?? "")
            .digest("base64url"),
        }
      : {}),
  });
  const body = JSON.stringify({ activationId });
  return {
    status: 202,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-runlet-activation-id": activationId,
      location: `/v1/accounts/${invocation.account}/activations/${activationId}`,
    },
    body,
  };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
