// The host's check of everything an isolate answers. The prelude runs in the tenant's realm, so what it
// hands back (the envelope, its kind, status, headers, body and their sizes) is untrusted input: it is
// checked here, on the host, on the copy that crossed the boundary (structured-clone data: no getters,
// nothing the isolate can change after the check), before anything else reads it.
import type { ErrorCode } from "../errors.js";
import type { Answer, Failed, Outcome } from "../outcomes.js";
import { FIELD_VALUE, TOKEN, isGatewayOwned } from "../model/response-head.js";

/** What the host allows of one invocation's answer. */
export interface AnswerRules {
  /** The response size limit, in bytes of the body as it goes out. */
  responseBytes: number;
  /** A web request (/fn/…): only then may the answer be an HTTP response of the function's own. */
  web: boolean;
}

type Failure = Pick<Failed, "status" | "code" | "message">;

const ENVELOPE_CODES: Record<string, ErrorCode | undefined> = {
  function_error: "RUNLET_ERR_FUNCTION_ERROR",
  invalid_result: "RUNLET_ERR_INVALID_RESULT",
  result_too_large: "RUNLET_ERR_RESULT_TOO_LARGE",
  invalid_response_json: "RUNLET_ERR_INVALID_RESPONSE_JSON",
};

/** An error message from the isolate is kept to this many characters (it is the tenant's text). */
const MESSAGE_CHARS = 16 * 1024;
/** At most this many response headers, and this many bytes of names and values together. */
const MAX_HEADERS = 200;
const MAX_HEADER_BYTES = 64 * 1024;

/** A function_error for an answer that is not of the shape the honest prelude sends. */
export function malformed(message: string): Failure {
  return {
    status: "function_error",
    code: "RUNLET_ERR_MALFORMED_ANSWER",
    message: `the function's answer is malformed: ${message}`,
  };
}

function failure(code: ErrorCode, message: string): Failure {
  return { status: "function_error", code, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Bytes of a body as it goes out (UTF-8 for text), or undefined when it is over `limit`: counted without
 * encoding when the string's length alone decides (UTF-8 takes 1 to 3 bytes per UTF-16 unit).
 */
function bytesWithin(body: string | ArrayBuffer, limit: number): number | undefined {
  if (typeof body !== "string") return body.byteLength <= limit ? body.byteLength : undefined;
  if (body.length > limit) return undefined;
  if (body.length * 3 <= limit) return body.length;
  const bytes = Buffer.byteLength(body, "utf8");
  return bytes <= limit ? bytes : undefined;
}

function tooLarge(what: string, limit: number): Failure {
  return failure("RUNLET_ERR_RESULT_TOO_LARGE", `${what} is over the response limit of ${limit} bytes`);
}

/**
 * A function's response head, checked: status 200–599, headers as [name, value] string pairs with valid
 * names and values, names lower-cased, framing / hop-by-hop / gateway headers dropped. A Failure when
 * anything is wrong (the whole answer is refused: a half-sent head is worse than none).
 */
export function checkHead(
  status: unknown,
  headers: unknown,
): { status: number; headers: [string, string][] } | Failure {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    const shown = typeof status === "number" || typeof status === "string" ? String(status) : typeof status;
    return failure(
      "RUNLET_ERR_INVALID_RESPONSE_STATUS",
      `the response status ${shown.slice(0, 40)} is not a whole number from 200 to 599`,
    );
  }
  if (!Array.isArray(headers)) return malformed("the response headers are not a list");
  if (headers.length > MAX_HEADERS) {
    return failure(
      "RUNLET_ERR_INVALID_RESPONSE_HEADER",
      `the response has ${headers.length} headers, over ${MAX_HEADERS}`,
    );
  }
  const kept: [string, string][] = [];
  let bytes = 0;
  for (const pair of headers as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2)
      return malformed("a response header is not a [name, value] pair");
    const [name, value] = pair as unknown[];
    if (typeof name !== "string" || typeof value !== "string") {
      return malformed("a response header name or value is not a string");
    }
    bytes += name.length + value.length;
    if (bytes > MAX_HEADER_BYTES) {
      return failure(
        "RUNLET_ERR_INVALID_RESPONSE_HEADER",
        `the response headers are over ${MAX_HEADER_BYTES} bytes together`,
      );
    }
    if (!TOKEN.test(name)) {
      return failure(
        "RUNLET_ERR_INVALID_RESPONSE_HEADER",
        `the response header name ${JSON.stringify(name.slice(0, 64))} is not an HTTP token`,
      );
    }
    if (!FIELD_VALUE.test(value)) {
      return failure(
        "RUNLET_ERR_INVALID_RESPONSE_HEADER",
        `the value of response header ${name} holds a control character (CR, LF, NUL or another)`,
      );
    }
    const lower = name.toLowerCase();
    if (!isGatewayOwned(lower)) kept.push([lower, value]);
  }
  return { status, headers: kept };
}

function isFailure(value: object): value is Failure {
  return "code" in value;
}

/** The outcome of one envelope the isolate sent back, after the host's checks (see the file comment). */
export function outcomeOfEnvelope(envelope: unknown, rules: AnswerRules): Outcome {
  if (!isRecord(envelope)) return malformed("it is not an object");
  if (envelope.ok === false) {
    const code = typeof envelope.code === "string" ? ENVELOPE_CODES[envelope.code] : undefined;
    const message =
      typeof envelope.message === "string" ? envelope.message.slice(0, MESSAGE_CHARS) : "the function failed";
    return { status: "function_error", code: code ?? "RUNLET_ERR_FUNCTION_ERROR", message };
  }
  if (envelope.ok !== true) return malformed("it says neither ok nor failed");
  const limit = rules.responseBytes;
  if (envelope.kind === "json") {
    const { body } = envelope;
    if (typeof body !== "string") return malformed("its JSON text is not a string");
    if (bytesWithin(body, limit) === undefined) return tooLarge("the result", limit);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      return failure(
        "RUNLET_ERR_INVALID_RESPONSE_JSON",
        `the function's JSON answer is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    const answer: Answer = { kind: "json", body, value };
    return { status: "succeeded", answer };
  }
  if (envelope.kind !== "http") return malformed("its kind is neither json nor http");
  if (!rules.web) return malformed("it is an HTTP response where a JSON value was expected");
  const head = checkHead(envelope.status, envelope.headers);
  if (isFailure(head)) return head;
  const { body } = envelope;
  if (body !== null && typeof body !== "string" && !(body instanceof ArrayBuffer)) {
    return malformed("its body is neither text, bytes nor empty");
  }
  if (body !== null && bytesWithin(body, limit) === undefined) return tooLarge("the response body", limit);
  return { status: "succeeded", answer: { kind: "http", status: head.status, headers: head.headers, body } };
}
