import type { ErrorCode } from "../errors.js";
import type { FinalStatus } from "../outcomes.js";
import type { LogLine } from "../store/records.js";

export type Answer =
  | { kind: "json"; body: string }
  | { kind: "http"; status: number; headers: [string, string][]; body: string | ArrayBuffer | null };

/** What the prelude hands back for one job. */
export type Envelope =
  | ({ ok: true } & Answer)
  | { ok: false; code: "function_error" | "invalid_result" | "result_too_large"; message: string };

export interface RawOutcome {
  status: FinalStatus;
  code?: ErrorCode;
  message?: string;
  answer?: Answer;
  logs: LogLine[];
  logsTruncated: boolean;
  durationMs: number;
}

const ENVELOPE_CODES: Record<string, ErrorCode> = {
  function_error: "RUNLET_ERR_FUNCTION_ERROR",
  invalid_result: "RUNLET_ERR_INVALID_RESULT",
  result_too_large: "RUNLET_ERR_RESULT_TOO_LARGE",
};

export function outcomeOfEnvelope(
  envelope: Envelope,
): Omit<RawOutcome, "logs" | "logsTruncated" | "durationMs"> {
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
