import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { RunletError } from "../../errors.js";
import type { Platform } from "../../platform.js";
import { forwardedHeaders } from "../forwarded-headers.js";

/** `?async=true` or `Prefer: respond-async` (RFC 7240) asks for the async path. */
export function wantsAsync(request: FastifyRequest<{ Querystring: { async?: boolean } }>): boolean {
  return request.query.async === true || /\brespond-async\b/i.test(String(request.headers.prefer ?? ""));
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The async branch of POST …/invoke: answers 202 {activationId} once the job is durably queued. An
 * Idempotency-Key repeats the first answer (same id) for the same body; X-Callback-Url gets the result.
 */
export async function invokeAsync(
  platform: Platform,
  request: FastifyRequest<{ Params: { acct: string; name: string }; Body: unknown }>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { acct, name } = request.params;
  const limit = platform.config.limits.asyncPayloadBytes;
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) {
    throw new RunletError(
      "RUNLET_ERR_PAYLOAD_TOO_LARGE",
      `async payloads are limited to ${limit} bytes, got ${declared}; send less or invoke synchronously`,
    );
  }
  const key = header(request, "idempotency-key");
  if (key !== undefined && !KEY.test(key)) {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)",
    );
  }
  const callbackUrl = header(request, "x-callback-url");
  const payload = request.body ?? null;
  const submitted = await platform.async.submit({
    account: acct,
    function: name,
    trigger: "http",
    payload,
    headers: forwardedHeaders(request.headers),
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
  return reply
    .code(202)
    .header("x-runlet-activation-id", submitted.activationId)
    .header("location", `/v1/accounts/${acct}/activations/${submitted.activationId}`)
    .send({ activationId: submitted.activationId });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
