import type { InvokeResult } from "../model/invocation.js";

/**
 * What a calling function (ctx.invoke) or the next sequence step receives from a finished invocation: the
 * JSON value, or for an http-style function its whole response as `{status, headers, body}` (the
 * activation record keeps only the first 4 KiB of a body).
 */
export function answerValue({ outcome }: InvokeResult): unknown {
  if (outcome.status !== "succeeded") return null;
  const { answer } = outcome;
  if (answer.kind === "json") return "value" in answer ? answer.value : (JSON.parse(answer.body) as unknown);
  return { status: answer.status, headers: Object.fromEntries(answer.headers), body: answer.body };
}
