import type { ErrorCode } from "../errors.js";

/** Which of the hosted platform's two API generations a request speaks (see generation()). */
export type Generation = "v1" | "v2";

/** The hosted platform's error classes; each has its code in each generation (docs/migrating.md). */
export type HostedErrorKind =
  "badinput" | "notdeployed" | "missinglambda" | "custom" | "runtime" | "timeout" | "limit" | "general";

export const HOSTED_CODES: Readonly<Record<HostedErrorKind, Readonly<Record<Generation, string>>>> = {
  badinput: { v1: "com.liveperson.faas.es.badinput", v2: "com.liveperson.faas.evg.invalid" },
  notdeployed: {
    v1: "com.liveperson.faas.es.notdeployed",
    v2: "com.liveperson.faas.function.not-deployed",
  },
  missinglambda: {
    v1: "com.liveperson.faas.es.missinglambda",
    v2: "com.liveperson.faas.function.not-found",
  },
  custom: { v1: "com.liveperson.faas.handler.custom-failure", v2: "com.customer.faas.function.threw-error" },
  runtime: {
    v1: "com.liveperson.faas.handler.runtime-exception",
    v2: "com.customer.faas.function.js-runtime-error",
  },
  timeout: {
    v1: "com.liveperson.faas.handler.executiontime-exceeded",
    v2: "com.customer.faas.function.execution-exceeded",
  },
  limit: {
    v1: "com.liveperson.faas.handler.log-limit-reached",
    v2: "com.liveperson.faas.function.runtime.limit-reached",
  },
  general: { v1: "com.liveperson.faas.es.general", v2: "com.liveperson.faas.evg.general" },
};

const KIND_OF: Partial<Record<ErrorCode, HostedErrorKind>> = {
  RUNLET_ERR_BAD_REQUEST: "badinput",
  RUNLET_ERR_INVALID_JSON: "badinput",
  RUNLET_ERR_INVALID_EVENT_TYPE: "badinput",
  RUNLET_ERR_PAYLOAD_TOO_LARGE: "badinput",
  RUNLET_ERR_QUOTA_PAYLOAD: "badinput",
  RUNLET_ERR_NOT_DEPLOYED: "notdeployed",
  RUNLET_ERR_FUNCTION_NOT_FOUND: "missinglambda",
  RUNLET_ERR_FUNCTION_ERROR: "custom",
  RUNLET_ERR_INVALID_RESULT: "custom",
  RUNLET_ERR_INVALID_RESPONSE_STATUS: "custom",
  RUNLET_ERR_INVALID_RESPONSE_HEADER: "custom",
  RUNLET_ERR_INVALID_RESPONSE_JSON: "custom",
  RUNLET_ERR_MALFORMED_ANSWER: "custom",
  RUNLET_ERR_TIMEOUT: "timeout",
  RUNLET_ERR_MEMORY_LIMIT: "limit",
  RUNLET_ERR_RESULT_TOO_LARGE: "limit",
};

/** What the hosted platform counts as a runtime exception rather than a custom failure (its rewire.js). */
const RUNTIME_ERROR = /^(TypeError|ReferenceError|SyntaxError)\b/;

export function hostedKind(code: string, message: string): HostedErrorKind {
  const kind = KIND_OF[code as ErrorCode] ?? "general";
  return kind === "custom" && RUNTIME_ERROR.test(message) ? "runtime" : kind;
}

/**
 * An error body in the request's generation (`{errorCode, errorMsg}` or `{code, message}`: what the
 * hosted client classifies), plus Runlet's own `error` object, so Runlet tools read it as any API error.
 */
export function hostedErrorBody(
  generation: Generation,
  error: { code: string; message: string; activationId?: string | undefined },
  kind: HostedErrorKind = hostedKind(error.code, error.message),
): Record<string, unknown> {
  const code = HOSTED_CODES[kind][generation];
  const runlet = {
    code: error.code,
    message: error.message,
    ...(error.activationId ? { activationId: error.activationId } : {}),
  };
  return generation === "v1"
    ? { errorCode: code, errorMsg: error.message, error: runlet }
    : { code, message: error.message, error: runlet };
}
