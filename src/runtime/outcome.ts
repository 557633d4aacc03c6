import type { Answer, Outcome } from "../outcomes.js";

export type { Answer } from "../outcomes.js";
export { outcomeOfEnvelope, type AnswerRules } from "./answer-check.js";

/**
 * What the prelude hands back for one job, when it is honest. The host never relies on this shape: what
 * crosses out of an isolate is checked by answer-check.ts before it is used.
 */
export type Envelope =
  | ({ ok: true } & Answer)
  | {
      ok: false;
      code: "function_error" | "invalid_result" | "result_too_large" | "invalid_response_json";
      message: string;
    };

/** What an instance returns: an Outcome of something that ran, so its logs and duration are always set. */
export type RawOutcome = Outcome & Required<Pick<Outcome, "logs" | "logsTruncated" | "durationMs">>;
