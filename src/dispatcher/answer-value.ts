import type { InvokeResult } from "./dispatcher.js";

/**
 * What a calling function (ctx.invoke) or the next sequence step receives from a finished invocation: the
 * JSON value, or for an http-style function its whole response as `{status, headers, body}` (the
 * activation record keeps only the first 4 KiB of a body).
 */
export function answerValue(result: InvokeResult): unknown {
  const { answer, activation } = result;
  if (answer?.kind !== "http") return activation.result;
  return { status: answer.status, headers: Object.fromEntries(answer.headers), body: answer.body };
}
