import type { FastifyReply } from "fastify";
import type { InvokeResult } from "../dispatcher/dispatcher.js";

/** Sends an invocation's answer (or its error) with the X-Runlet-* headers. */
export function sendInvokeResult(reply: FastifyReply, result: InvokeResult): FastifyReply {
  const { activation, answer, error } = result;
  reply.header("x-runlet-activation-id", activation.id);
  reply.header("x-runlet-duration-ms", String(activation.durationMs));
  reply.header("x-runlet-cold-start", String(activation.coldStart));
  if (error) {
    if (error.headers) reply.headers(error.headers);
    return reply.code(result.httpStatus).type("application/json").send(JSON.stringify(error.toBody()));
  }
  if (answer?.kind === "http") {
    for (const [name, value] of answer.headers) {
      if (name !== "content-length" && name !== "transfer-encoding" && name !== "connection")
        reply.header(name, value);
    }
    const body =
      answer.body === null ? "" : typeof answer.body === "string" ? answer.body : Buffer.from(answer.body);
    return reply.code(answer.status).send(body);
  }
  return reply
    .code(200)
    .type("application/json")
    .send(answer?.body ?? "null");
}
