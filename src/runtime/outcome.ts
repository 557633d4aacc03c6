import type { ErrorCode } from "../errors.js";
import type { Answer, Outcome } from "../outcomes.js";

export type { Answer } from "../outcomes.js";

/** What the prelude hands back for one job. */
export type Envelope =
  | ({ ok: true } & Answer)
  | { ok: false; code: "function_error" | "invalid_result" | "result_too_large"; message: string };

/** What an instance returns: an Outcome of something that ran, so its logs and duration are always set. */
export type RawOutcome = Outcome & Required<Pick<Outcome, "logs" | "logsTruncated" | "durationMs">>;

const ENVELOPE_CODES: Record<string, ErrorCode | undefined> = {
  function_error: "RUNLET_ERR_FUNCTION_ERROR",
  invalid_result: "RUNLET_ERR_INVALID_RESULT",
  result_too_large: "RUNLET_ERR_RESULT_TOO_LARGE",
};

export function outcomeOfEnvelope(envelope: Envelope): Outcome {
  if (!envelope.ok) {
    return {
      status: "function_error",
      code: ENVELOPE_CODES[envelope.code] ?? "RUNLET_ERR_FUNCTION_ERROR",
      message: envelope.message,
    };
  }
  const answer: Answer =
    envelope.kind === "json"
      ? { kind: "json", body: envelope.body }
      : { kind: "http", status: envelope.status, headers: envelope.headers, body: envelope.body };
  return { status: "succeeded", answer };
}
