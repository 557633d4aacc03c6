import type { FastifyReply } from "fastify";
import { errorOf, type InvokeResult } from "../model/invocation.js";
import type { RunletError } from "../errors.js";
import { FIELD_VALUE, TOKEN, isGatewayOwned } from "../model/response-head.js";

/** A whole HTTP answer, as both gateways send it. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const JSON_TYPE = "application/json; charset=utf-8";

/**
 * Adds a function's response headers to the gateway's. The runtime has checked them already
 * (answer-check.ts); this is the gateway's own last line: only it frames a response, so a framing,
 * hop-by-hop or X-Runlet-* header of the function's, in any case, or one Node would refuse, never goes out.
 */
function addFunctionHeaders(into: Record<string, string>, pairs: [string, string][]): void {
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    if (!isGatewayOwned(lower) && TOKEN.test(name) && FIELD_VALUE.test(value)) into[lower] = value;
  }
}

/** The one API error shape, `{"error": {code, message, activationId?}}`, with the error's own headers. */
export function errorAnswer(error: RunletError, headers: Record<string, string> = {}): HttpAnswer {
  return {
    status: error.status,
    headers: { ...headers, ...error.headers, "content-type": JSON_TYPE },
    body: JSON.stringify(error.toBody()),
  };
}

/** An invocation's answer (or its error) as HTTP, with the X-Runlet-* headers when it left an activation. */
export function invokeAnswer(result: InvokeResult): HttpAnswer {
  const { activation, outcome } = result;
  const headers: Record<string, string> = activation
    ? {
        "x-runlet-activation-id": activation.id,
        "x-runlet-duration-ms": String(activation.durationMs),
        "x-runlet-cold-start": String(activation.coldStart),
      }
    : {};
  if (outcome.status !== "succeeded") return errorAnswer(errorOf(result)!, headers);
  const { answer } = outcome;
  if (answer.kind === "http") {
    addFunctionHeaders(headers, answer.headers);
    const body =
      answer.body === null ? "" : typeof answer.body === "string" ? answer.body : Buffer.from(answer.body);
    return { status: answer.status, headers, body };
  }
  headers["content-type"] = JSON_TYPE;
  return { status: 200, headers, body: answer.body };
}

/** Status and headers of a streamed web response (the body follows as the function produces it). */
export function streamedHead(head: {
  status: number;
  headers: [string, string][];
  activationId: string;
  coldStart: boolean;
}): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    "x-runlet-activation-id": head.activationId,
    "x-runlet-cold-start": String(head.coldStart),
  };
  addFunctionHeaders(headers, head.headers);
  return { status: head.status, headers };
}

export function sendAnswer(reply: FastifyReply, { status, headers, body }: HttpAnswer): FastifyReply {
  return reply.code(status).headers(headers).send(body);
}
