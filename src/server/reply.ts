import type { FastifyReply } from "fastify";
import type { ServerResponse } from "node:http";
import type { InvokeResult } from "../dispatcher/dispatcher.js";

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const HOP_BY_HOP = new Set(["content-length", "transfer-encoding", "connection"]);

/** An invocation's answer (or its error) as HTTP, with the X-Runlet-* headers. */
export function invokeAnswer(result: InvokeResult): HttpAnswer {
  const { activation, answer, error } = result;
  const headers: Record<string, string> = {
    "x-runlet-activation-id": activation.id,
    "x-runlet-duration-ms": String(activation.durationMs),
    "x-runlet-cold-start": String(activation.coldStart),
  };
  if (error) {
    Object.assign(headers, error.headers, { "content-type": "application/json; charset=utf-8" });
    return { status: result.httpStatus, headers, body: JSON.stringify(error.toBody()) };
  }
  if (answer?.kind === "http") {
    for (const [name, value] of answer.headers) if (!HOP_BY_HOP.has(name)) headers[name] = value;
    const body =
      answer.body === null ? "" : typeof answer.body === "string" ? answer.body : Buffer.from(answer.body);
    return { status: answer.status, headers, body };
  }
  headers["content-type"] = "application/json; charset=utf-8";
  return { status: 200, headers, body: answer?.body ?? "null" };
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

export function sendInvokeResult(reply: FastifyReply, result: InvokeResult): FastifyReply {
  const { status, headers, body } = invokeAnswer(result);
  return reply.code(status).headers(headers).send(body);
}

export function writeInvokeResult(res: ServerResponse, result: InvokeResult): void {
  const { status, headers, body } = invokeAnswer(result);
  res.writeHead(status, headers);
  res.end(body);
}
