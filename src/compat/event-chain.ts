import type { Dispatcher } from "../dispatcher/dispatcher.js";
import type { InvokeResult } from "../model/invocation.js";
import { RunletError } from "../errors.js";
import { hostedEvent } from "./events/hosted-events.js";
import type { HostedInput } from "./invoke-body.js";

export type ChainAnswer = { ok: true; result: unknown } | { ok: false; failed: InvokeResult };

/**
 * `POST …/events/{eventId}/invoke`: runs every deployed listener in turn, in function-name order, and
 * combines their answers as the hosted platform does: one listener's answer is the answer; with several,
 * the answers are joined into one array in that order (a listener answering an array, such as a list of
 * actions, adds its items). A failing listener ends the chain with its error on the hosted platform's
 * events (abortOnFailure); on others, failed listeners add nothing and the rest still run.
 */
export async function runEventChain(
  dispatcher: Dispatcher,
  account: string,
  eventId: string,
  listeners: readonly string[],
  input: HostedInput & { requestId: string },
): Promise<ChainAnswer> {
  if (listeners.length === 0) {
    throw new RunletError(
      "RUNLET_ERR_FUNCTION_NOT_FOUND",
      `no deployed function listens to event ${eventId}; deploy one with "events": ["${eventId}"] (GET …/events/${eventId}/isImplemented tells beforehand)`,
    );
  }
  const abort = hostedEvent(eventId)?.abortOnFailure ?? false;
  const answers: unknown[] = [];
  let firstFailure: InvokeResult | undefined;
  for (const name of listeners) {
    const result = await dispatcher.invoke({
      kind: "event",
      account,
      function: name,
      payload: input.payload,
      headers: input.headers,
      event: {
        type: eventId,
        id: input.requestId,
        source: `/api/account/${account}/events/${eventId}`,
        time: new Date(input.timestamp).toISOString(),
      },
    });
    const { outcome } = result;
    // A listener deleted since the listeners were read is skipped, as if it had never listened.
    if (outcome.status === "rejected" && outcome.code === "RUNLET_ERR_FUNCTION_NOT_FOUND") continue;
    if (outcome.status !== "succeeded") {
      if (abort) return { ok: false, failed: result };
      firstFailure ??= result;
      continue;
    }
    // The dispatcher parsed the answer once already, for the activation record.
    answers.push(result.activation?.result ?? null);
  }
  if (answers.length === 0 && firstFailure) return { ok: false, failed: firstFailure };
  if (listeners.length === 1) return { ok: true, result: answers[0] ?? null };
  return { ok: true, result: answers.flatMap((a) => (Array.isArray(a) ? a : [a])) };
}
