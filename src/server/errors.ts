import type { FastifyError } from "fastify";
import { ERRORS, RunletError } from "../errors.js";

export const JSON_ONLY = "this route takes a JSON body: send Content-Type: application/json";
export const INVALID_JSON =
  "the body is not valid JSON; send a JSON value with Content-Type: application/json";

/** Maps anything a route or Fastify throws to the one error shape; unknown errors are platform errors. */
export function toRunletError(err: unknown): RunletError {
  if (err instanceof RunletError) return err;
  const fe = err as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (fe.validation) {
    return new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      `${fe.validationContext ?? "request"} ${fe.message ?? "is invalid"}`.replace(/^(\w+) \1/, "$1"),
    );
  }
  switch (fe.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE": {
      const limit = fe.message?.match(/\d+/)?.[0];
      const what = limit === undefined ? "the byte limit" : `the ${limit} byte limit`;
      return new RunletError("RUNLET_ERR_PAYLOAD_TOO_LARGE", `the body is over ${what}; send less`);
    }
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new RunletError("RUNLET_ERR_INVALID_JSON", JSON_ONLY);
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new RunletError(
        "RUNLET_ERR_INVALID_JSON",
        "the body is empty but Content-Type says JSON: send a JSON value (e.g. {} or null)",
      );
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new RunletError("RUNLET_ERR_BAD_REQUEST", "the Content-Length header does not match the body");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new RunletError("RUNLET_ERR_INVALID_JSON", INVALID_JSON);
    default:
      break;
  }
  if (err instanceof SyntaxError || fe.code === "FST_ERR_BAD_URL") {
    return new RunletError(
      "RUNLET_ERR_INVALID_JSON",
      `the body is not valid JSON: ${(err as Error).message}`,
    );
  }
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      status === 404
        ? "RUNLET_ERR_ROUTE_NOT_FOUND"
        : status === 413
          ? "RUNLET_ERR_PAYLOAD_TOO_LARGE"
          : "RUNLET_ERR_BAD_REQUEST";
    return new RunletError(code, fe.message ?? ERRORS[code].fix);
  }
  return new RunletError("RUNLET_ERR_PLATFORM", "internal error; see the server log", { cause: err });
}
