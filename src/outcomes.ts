import type { ErrorCode } from "./errors.js";

/** The final statuses of DESIGN §5; async activations are first `queued`, then `running`. */
export const FINAL_STATUSES = [
  "succeeded",
  "function_error",
  "timeout",
  "resource_exceeded",
  "rejected",
  "platform_error",
] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];
export type ActivationStatus = FinalStatus | "queued" | "running";

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${String(value)}`);
}

/** The HTTP status a sync invoker sees for an outcome; `code` refines resource and rejection cases. */
export function httpStatusFor(status: FinalStatus, code: ErrorCode | undefined): number {
  switch (status) {
    case "succeeded":
      return 200;
    case "function_error":
      return 502;
    case "timeout":
      return 504;
    case "resource_exceeded":
      return code === "RUNLET_ERR_PAYLOAD_TOO_LARGE" ? 413 : 502;
    case "rejected":
      if (code === "RUNLET_ERR_INVOKE_DEPTH") return 400;
      if (code?.startsWith("RUNLET_ERR_QUOTA_")) return code === "RUNLET_ERR_QUOTA_FUNCTIONS" ? 403 : 429;
      return code === "RUNLET_ERR_THROTTLED" || code === "RUNLET_ERR_MEMORY_BUDGET"
        ? 429
        : code === "RUNLET_ERR_NOT_DEPLOYED"
          ? 409
          : 403;
    case "platform_error":
      return 500;
    default:
      return assertNever(status);
  }
}

/** The error code a failed outcome carries when the runtime gave none more specific. */
export function defaultCodeFor(status: Exclude<FinalStatus, "succeeded">): ErrorCode {
  switch (status) {
    case "function_error":
      return "RUNLET_ERR_FUNCTION_ERROR";
    case "timeout":
      return "RUNLET_ERR_TIMEOUT";
    case "resource_exceeded":
      return "RUNLET_ERR_MEMORY_LIMIT";
    case "rejected":
      return "RUNLET_ERR_THROTTLED";
    case "platform_error":
      return "RUNLET_ERR_PLATFORM";
    default:
      return assertNever(status);
  }
}
