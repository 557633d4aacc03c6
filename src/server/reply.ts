import type { FastifyReply } from "fastify";
import { errorOf, type InvokeResult } from "../model/invocation.js";
import type { RunletError } from "../errors.js";

/** A whole HTTP answer, as both gateways send it. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const HOP_BY_HOP = new Set(["content-length", "transfer-encoding", "connection"]);
const JSON_TYPE = "application/json; charset=utf-8";

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
    for (const [name, value] of answer.headers) if (!HOP_BY_HOP.has(name)) headers[name] = value;
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
  for (const [name, value] of head.headers) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  return { status: head.status, headers };
}

export function sendAnswer(reply: FastifyReply, { status, headers, body }: HttpAnswer): FastifyReply {
  return reply.code(status).headers(headers).send(body);
}
