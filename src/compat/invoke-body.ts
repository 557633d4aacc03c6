import { RunletError } from "../errors.js";

/** What the hosted client sends to every invoke route: `{timestamp, headers: [{key, value}], payload}`. */
export interface HostedInput {
  /** ms since epoch: what `input.timestamp` of a classic lambda holds. */
  timestamp: number;
  headers: [string, string][];
  payload: unknown;
}

const SEND =
  'send {"timestamp": <ms since epoch>, "headers": [{"key": "…", "value": "…"}], "payload": <any JSON>}';

function bad(what: string): RunletError {
  return new RunletError("RUNLET_ERR_BAD_REQUEST", `${what}: ${SEND}`);
}

/** Checks the body's shape; a missing timestamp is now and missing headers are none (the client sends both). */
export function readHostedInput(body: unknown, now = Date.now()): HostedInput {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    const what = body === null ? "null" : Array.isArray(body) ? "an array" : typeof body;
    throw bad(`the body must be a JSON object, not ${what}`);
  }
  const { timestamp, headers, payload } = body as Record<string, unknown>;
  if (
    timestamp !== undefined &&
    (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp < 0)
  ) {
    throw bad("timestamp must be a number of milliseconds since the epoch");
  }
  if (headers !== undefined && !Array.isArray(headers)) throw bad("headers must be an array of {key, value}");
  const pairs: [string, string][] = [];
  for (const [i, header] of (headers ?? []).entries()) {
    const { key, value } = (header ?? {}) as Record<string, unknown>;
    if (typeof key !== "string" || key === "" || typeof value !== "string") {
      throw bad(`headers[${i}] must be {"key": string, "value": string}`);
    }
    pairs.push([key, value]);
  }
  return { timestamp: (timestamp as number | undefined) ?? now, headers: pairs, payload: payload ?? null };
}
