import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { RunletError } from "../../errors.js";
import type { Platform } from "../../platform.js";
import { incomingTrace } from "../../telemetry/traceparent.js";
import { forwardedHeaders } from "../forwarded-headers.js";

/** `?async=true` or `Prefer: respond-async` (RFC 7240) asks for the async path. */
export function wantsAsync(request: FastifyRequest<{ Querystring: { async?: boolean } }>): boolean {
  return request.query.async === true || prefersAsync(request.headers);
}

export function prefersAsync(headers: IncomingHttpHeaders): boolean {
  return /\brespond-async\b/i.test(String(headers.prefer ?? ""));
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** 413 before reading a body whose declared length is over the async limit. */
export function checkAsyncLength(platform: Platform, headers: IncomingHttpHeaders): void {
  const limit = platform.config.limits.asyncPayloadBytes;
  const declared = Number(headers["content-length"] ?? 0);
  if (declared > limit) throw asyncTooLarge(limit, declared);
}

export function asyncTooLarge(limit: number, size: number): RunletError {
  return new RunletError(
    "RUNLET_ERR_PAYLOAD_TOO_LARGE",
    `async payloads are limited to ${limit} bytes, got ${size}; send less or invoke synchronously`,
  );
}

/** The 202 both the Fastify route and the node:http fast path send. */
export interface AsyncAnswer {
  headers: Record<string, string>;
  body: string;
}

/**
 * The async branch of POST …/invoke: answers 202 {activationId} once the job is durably queued. An
 * Idempotency-Key repeats the first answer (same id) for the same body; X-Callback-Url gets the result.
 */
export async function submitAsync(
  platform: Platform,
  account: string,
  name: string,
  payload: unknown,
  headers: IncomingHttpHeaders,
): Promise<AsyncAnswer> {
  checkAsyncLength(platform, headers);
  const key = header(headers, "idempotency-key");
  if (key !== undefined && !KEY.test(key)) {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)",
    );
  }
  const callbackUrl = header(headers, "x-callback-url");
  const submitted = await platform.async.submit({
    account,
    function: name,
    trigger: "http",
    payload,
    headers: forwardedHeaders(headers),
    ...incomingTrace(headers.traceparent),
    ...(callbackUrl !== undefined ? { callbackUrl } : {}),
    ...(key !== undefined
      ? {
          idempotencyKey: key,
          bodyDigest: createHash("sha256")
            .update(JSON.stringify(payload) ?? "null")
            .update("\0")
            .update(callbackUrl ?? "")
            .digest("base64url"),
        }
      : {}),
  });
  return {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-runlet-activation-id": submitted.activationId,
      location: `/v1/accounts/${account}/activations/${submitted.activationId}`,
    },
    body: JSON.stringify({ activationId: submitted.activationId }),
  };
}

export async function invokeAsync(
  platform: Platform,
  request: FastifyRequest<{ Params: { acct: string; name: string }; Body: unknown }>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { acct, name } = request.params;
  const answer = await submitAsync(platform, acct, name, request.body ?? null, request.headers);
  return reply.code(202).headers(answer.headers).send(answer.body);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
